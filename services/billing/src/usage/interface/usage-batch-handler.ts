// The chat-gateway topic, a partition batch at a time: its UsageRecorded events go to the ledger
// and the projections in one ProjectUsageBatch; every other event type is not billing's concern.
// Counts that can never be applied are a PoisonError: the BatchConsumer then retries the batch
// event by event and parks only the bad one.
import { PoisonError, type ConsumedEvent } from '@enclave/eventing';
import type { chatGatewayV1 } from '@enclave/proto';
import { InvalidUsageError } from '../domain/usage-increment';
import type { ProjectUsageBatch, UsageFact } from '../application/project-usage-batch';

export function usageBatchHandler(project: ProjectUsageBatch) {
  return async (events: ConsumedEvent<chatGatewayV1.ChatGatewayEvent>[]): Promise<void> => {
    const facts: UsageFact[] = [];
    for (const event of events) {
      if (event.payload.event?.$case !== 'usageRecorded') continue;
      const usage = event.payload.event.value;
      facts.push({
        eventId: event.id,
        tenantId: event.tenantId,
        occurredAt: event.occurredAt,
        requestId: usage.requestId,
        outcome: usage.outcome,
        memberSubjectId: usage.memberSubjectId,
        model: usage.model,
        promptTokens: usage.promptTokens,
        completionTokens: usage.completionTokens,
        partition: event.partition,
        offset: Number(event.offset),
      });
    }
    try {
      await project.execute(facts);
    } catch (error) {
      if (error instanceof InvalidUsageError || error instanceof RangeError) throw new PoisonError(`UsageRecorded refused: ${(error as Error).message}`);
      throw error;
    }
  };
}
