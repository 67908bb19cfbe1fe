import { uuidv7, type Logger } from '@enclave/platform';
import type { EventAppender } from '../../events/application/ports';
import { FactsUnavailableError, type FactSink } from '../application/ports';
import type { MeteringFact } from '../domain/metering-fact';
import { encodeFact } from './fact-encoding';

/**
 * Without Kafka (KAFKA_ENABLED=false): each fact is appended to the event store, awaited, so it is
 * durable before the client hears "complete" all the same; the outbox relay publishes it once a
 * broker is configured. No buffer, so nothing to bound: each request waits for its own write.
 */
export class StoreFactSink implements FactSink {
  constructor(
    private readonly store: EventAppender,
    private readonly logger: Logger,
    private readonly onAppended: () => void = () => undefined,
  ) {}

  async publish(fact: MeteringFact): Promise<void> {
    const { event, streamId } = encodeFact(fact, uuidv7);
    try {
      await this.store.append(streamId, 0, [event]);
    } catch (error) {
      this.logger.error({ err: error, type: fact.type }, 'metering fact not stored');
      throw new FactsUnavailableError(1);
    }
    this.onAppended();
  }

  refusal(): FactsUnavailableError | undefined {
    return undefined;
  }
}
