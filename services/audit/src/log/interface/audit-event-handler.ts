// Every consumed event of every topic becomes one entry in its tenant's chain. A duplicate
// (same event id) is a no-op; a payload that cannot be written as canonical JSON is poison.
import { PoisonError, type IdempotentConsumer } from '@enclave/eventing';
import type { AuditedTopic } from '../../shared/audit-topics';
import type { AppendToLog } from '../application/append-to-log';
import { CanonicalJsonError } from '../domain/canonical-json';
import { toEntryDraft } from '../domain/event-to-draft';

export function registerAuditHandlers(
  consumer: IdempotentConsumer,
  topics: readonly AuditedTopic[],
  append: AppendToLog,
  clock: () => Date,
): IdempotentConsumer {
  for (const { topic, service } of topics) {
    consumer.on(topic, async (event) => {
      let draft;
      try {
        draft = toEntryDraft(event, service, clock());
      } catch (error) {
        if (error instanceof CanonicalJsonError) throw new PoisonError(`payload has no canonical JSON form: ${error.message}`);
        throw error;
      }
      await append.execute(draft);
    });
  }
  return consumer;
}
