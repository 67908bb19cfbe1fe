// One Kafka batch (one partition, in offset order) into the log: every message becomes an entry
// draft, and all of them are appended with one executeBatch (per-tenant order kept, duplicates
// skipped by the unique event id). A message that cannot be decoded or written as canonical JSON
// is poison and parked. When the batch keeps failing, it is retried message by message so that
// only a message that fails on its own is parked — as the per-message consumer would.
import { context, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { decodeEnvelope, EnvelopeDecodeError, backoffDelay, type BackoffOptions, type Topic } from '@enclave/eventing';
import { contextFromTraceparent, hasTraceContext } from '@enclave/platform';
import type { KafkaMessage } from 'kafkajs';
import type { EntryDraft } from '../domain/audit-entry';
import { CanonicalJsonError } from '../domain/canonical-json';
import { toEntryDraft } from '../domain/event-to-draft';
import type { AppendToLog } from '../application/append-to-log';

export interface IngestDeps {
  append: Pick<AppendToLog, 'executeBatch'>;
  clock: () => Date;
  /** Parks one message on the topic's dead-letter topic with the reason. */
  deadLetter(message: KafkaMessage, reason: string): Promise<void>;
  maxAttempts: number;
  backoff: BackoffOptions;
  sleep(ms: number): Promise<void>;
  /** True once the consumer is stopping or lost the partition: give up without committing. */
  interrupted(): boolean;
  heartbeat(): Promise<void>;
  onRetry(error: unknown, attempt: number): void;
  /** Told of the drafts now in the log (or found there already): privacy steps react to them. */
  onLogged?(drafts: readonly EntryDraft[]): void;
}

/** 'done': every message is logged, a duplicate or parked, so the batch may be committed. */
export type IngestOutcome = 'done' | 'interrupted';

export async function ingestBatch(deps: IngestDeps, topic: { topic: Topic<unknown>; service: string }, messages: readonly KafkaMessage[]): Promise<IngestOutcome> {
  const drafts: Array<{ message: KafkaMessage; draft: EntryDraft; span: Span }> = [];
  for (const message of messages) {
    try {
      const { draft, traceFields } = draftOf(topic, message, deps.clock());
      drafts.push({ message, draft, span: startEventSpan(topic.topic.name, draft, traceFields) });
    } catch (error) {
      if (!(error instanceof EnvelopeDecodeError || error instanceof CanonicalJsonError)) throw error;
      await deps.deadLetter(message, error instanceof CanonicalJsonError ? `payload has no canonical JSON form: ${error.message}` : error.message);
    }
  }
  if (drafts.length === 0) return 'done';
  const whole = await withRetries(deps, () => deps.append.executeBatch(drafts.map((d) => d.draft)));
  if (whole !== 'failed') {
    for (const d of drafts) d.span.end();
    if (whole === 'done') deps.onLogged?.(drafts.map((d) => d.draft));
    return whole;
  }
  for (const { message, draft, span } of drafts) {
    const one = await withRetries(deps, () => deps.append.executeBatch([draft]));
    if (one === 'failed') {
      span.setStatus({ code: SpanStatusCode.ERROR, message: 'dead-lettered' });
      await deps.deadLetter(message, 'the audit log refused the event after retries');
    }
    if (one === 'done') deps.onLogged?.([draft]);
    span.end();
    if (one === 'interrupted') return one;
  }
  return 'done';
}

const tracer = trace.getTracer('@enclave/audit');

/**
 * One CONSUMER span per event, a child of the trace the event was created in (the envelope's
 * trace fields, fixed at append time in the producing request), so a chat request's trace shows
 * its events reaching the audit log although they are appended in batches.
 */
function startEventSpan(topicName: string, draft: EntryDraft, traceFields: { traceparent: string; tracestate: string }): Span {
  const parent = contextFromTraceparent(traceFields);
  return tracer.startSpan(
    `audit.append ${topicName}`,
    { kind: SpanKind.CONSUMER, attributes: { 'messaging.system': 'kafka', 'messaging.destination.name': topicName, 'enclave.event.id': draft.eventId } },
    hasTraceContext(parent) ? parent : context.active(),
  );
}

function draftOf(
  topic: { topic: Topic<unknown>; service: string },
  message: KafkaMessage,
  recordedAt: Date,
): { draft: EntryDraft; traceFields: { traceparent: string; tracestate: string } } {
  const { envelope, payload } = decodeEnvelope(topic.topic, message.value);
  const draft = toEntryDraft(
    {
      id: envelope.id,
      type: envelope.type,
      tenantId: envelope.tenantId,
      subjectId: envelope.subjectId,
      actor: envelope.actor ?? { kind: 0, id: '', role: '' },
      occurredAt: new Date(envelope.occurredAtMs),
      payload,
    },
    topic.service,
    recordedAt,
  );
  return { draft, traceFields: { traceparent: envelope.traceparent, tracestate: envelope.tracestate } };
}

async function withRetries(deps: IngestDeps, work: () => Promise<unknown>): Promise<'done' | 'failed' | 'interrupted'> {
  for (let attempt = 1; ; attempt++) {
    if (deps.interrupted()) return 'interrupted';
    try {
      await work();
      return 'done';
    } catch (error) {
      if (attempt >= deps.maxAttempts) return 'failed';
      deps.onRetry(error, attempt);
      await deps.heartbeat();
      await deps.sleep(backoffDelay(attempt, deps.backoff));
    }
  }
}
