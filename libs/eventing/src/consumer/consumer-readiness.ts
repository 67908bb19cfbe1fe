import type { Consumer } from 'kafkajs';

/**
 * Whether a consumer is in its group and has completed a fetch since it joined (its offsets are
 * resolved: messages are flowing). Per-process consumers (cache feeds, revocation feeds) report
 * it as readiness.
 */
export class ConsumerReadiness {
  private joined = false;
  private fetched = false;

  constructor(consumer: Consumer) {
    consumer.on(consumer.events.GROUP_JOIN, () => {
      this.joined = true;
      this.fetched = false;
    });
    consumer.on(consumer.events.FETCH, () => (this.fetched = this.joined));
    consumer.on(consumer.events.CRASH, () => (this.joined = false));
  }

  get ready(): boolean {
    return this.joined && this.fetched;
  }

  /** After disconnect(). */
  reset(): void {
    this.joined = false;
    this.fetched = false;
  }
}
