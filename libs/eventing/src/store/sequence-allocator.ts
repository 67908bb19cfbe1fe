import type { Collection } from 'mongoose';
import type { EventDocument } from './event-document-mapping';
import type { Outbox } from './outbox';

/** After this long without an append, the next one re-reads the head instead of trusting memory. */
const FRESH_AFTER_MS = 1000;
const MAX_ATTEMPTS = 50;

/**
 * Hands out store-wide order numbers by unique-index inserts: an append claims seq..seq+n-1 by
 * inserting the outbox document with _id = seq (carrying its events). Two appenders that try the
 * same seq cannot both succeed; the loser continues after the winner's claim. No counter is
 * incremented, so nothing depends on an atomic read-modify-write (which FerretDB v1 does not have).
 * A number reserved in memory whose claim insert then fails leaves a gap the relay skips after
 * its claim timeout.
 */
export class SequenceAllocator {
  private next: number | undefined;
  private lastUsed = 0;
  private legacyHead: number | undefined;

  /** legacyCounter: the `<events>_seq` counter of stores written before the outbox existed. */
  constructor(
    private readonly outbox: Outbox,
    private readonly legacyCounter: Collection,
  ) {}

  /**
   * Claims numbers for `count` events; `build(seq)` makes the event documents numbered from seq.
   * Returns the first number and the documents claimed. Appends in one process take distinct
   * numbers from memory; a number another process took is skipped by looking up that claim's end.
   */
  async claim(count: number, build: (seq: number) => EventDocument[]): Promise<{ seq: number; docs: EventDocument[] }> {
    let seq = await this.reserve(count);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const docs = build(seq);
      if (docs.length !== count) throw new TypeError('build must return one document per event');
      if (await this.outbox.claim(seq, docs)) return { seq, docs };
      const taken = await this.outbox.claimEnd(seq);
      seq = (taken ?? (await this.head())) + 1;
      this.next = Math.max(this.next ?? 0, seq + count);
    }
    throw new Error(`could not claim a sequence number after ${MAX_ATTEMPTS} attempts`);
  }

  private async reserve(count: number): Promise<number> {
    if (this.next === undefined || performance.now() - this.lastUsed > FRESH_AFTER_MS) {
      const head = await this.head();
      this.next = Math.max(this.next ?? 0, head + 1);
    }
    this.lastUsed = performance.now();
    const seq = this.next;
    this.next = seq + count;
    return seq;
  }

  private async head(): Promise<number> {
    this.legacyHead ??= Number((await this.legacyCounter.findOne({ _id: 'seq' } as never))?.value ?? 0);
    return Math.max(await this.outbox.head(), this.legacyHead);
  }
}
