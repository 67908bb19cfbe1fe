import { factEnvelope, PublisherSaturatedError, type FactPublisher } from '@enclave/eventing';
import { TOPICS } from '@enclave/proto';
import { uuidv7, type Logger } from '@enclave/platform';
import { FactsUnavailableError, type FactSink } from '../application/ports';
import type { MeteringFact } from '../domain/metering-fact';
import { encodeFact } from './fact-encoding';

/**
 * Metering facts straight to Kafka, on the topic and in the envelope the outbox relay uses for
 * chat-gateway's stored events (key = tenant id), through the bounded batching FactPublisher:
 * publish() resolves once the broker acknowledged the fact (acks=all).
 */
export class KafkaFactSink implements FactSink {
  constructor(
    private readonly publisher: Pick<FactPublisher, 'publish' | 'refusal'>,
    private readonly logger: Logger,
    /** Retry-After when a batch failed (the publisher's own refusals carry theirs). */
    private readonly retryAfterSec = 1,
  ) {}

  async publish(fact: MeteringFact): Promise<void> {
    const { event, streamId } = encodeFact(fact, uuidv7);
    try {
      await this.publisher.publish(TOPICS.chatGateway.name, factEnvelope(event, { streamId }));
    } catch (error) {
      if (error instanceof PublisherSaturatedError) throw new FactsUnavailableError(error.retryAfterSec);
      this.logger.error({ err: error, type: fact.type }, 'metering fact not acknowledged by the broker');
      throw new FactsUnavailableError(this.retryAfterSec);
    }
  }

  refusal(): FactsUnavailableError | undefined {
    const busy = this.publisher.refusal();
    return busy ? new FactsUnavailableError(busy.retryAfterSec) : undefined;
  }
}
