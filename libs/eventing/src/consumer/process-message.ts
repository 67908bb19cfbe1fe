import { context, SpanKind, SpanStatusCode, trace, type Context, type Link } from '@opentelemetry/api';
import type { EachMessagePayload } from 'kafkajs';
import { contextFromTraceparent, extractTraceContext, hasTraceContext } from '@enclave/platform';
import { decodeEnvelope, type DecodedEvent } from '../bus/envelope';
import { headersToStrings } from '../bus/kafka-message';
import type { Topic } from '../bus/topic';
import { backoffDelay, type BackoffOptions } from '../support/backoff';
import { describeError, type EventingLogger } from '../support/logger';
import { consumedEventOf, type ConsumedEvent, type EventHandler, type HandlerContext } from './consumed-event';
import { PoisonError } from './poison-error';
import type { ProcessedEvents } from './processed-events';

export interface ProcessDeps {
  consumerName: string;
  processed: ProcessedEvents;
  deadLetter(payload: EachMessagePayload, reason: string): Promise<void>;
  maxAttempts: number;
  backoff: BackoffOptions;
  sleep(ms: number): Promise<void>;
  isStopping(): boolean;
  logger: EventingLogger;
}

/** What became of a message; every outcome but 'interrupted' lets the consumer commit it. */
export type Outcome = 'handled' | 'duplicate' | 'dead-lettered' | 'interrupted';

/**
 * One message: decode (undecodable → DLQ), skip if already processed, else run the handler
 * inside the producer's trace context with retries and backoff (PoisonError or exhausted
 * retries → DLQ), then record the event id as processed.
 */
export async function processMessage<T>(
  deps: ProcessDeps,
  topic: Topic<T>,
  handler: EventHandler<T>,
  payload: EachMessagePayload,
): Promise<Outcome> {
  let decoded: DecodedEvent<T>;
  try {
    decoded = decodeEnvelope(topic, payload.message.value);
  } catch (error) {
    await deps.deadLetter(payload, (error as Error).message);
    return 'dead-lettered';
  }
  const eventId = decoded.envelope.id;
  if (await deps.processed.has(deps.consumerName, eventId)) return 'duplicate';

  const event = toConsumedEvent(decoded, payload);
  // The trace the event was created in: the envelope's fields, fixed at append time in the
  // producing request's context. The Kafka headers are only the fallback: the kafkajs
  // instrumentation overwrites their traceparent with the relay's own send span (a trace of
  // its polling loop), which would cut every event off from the request that caused it.
  const fromEnvelope = contextFromTraceparent(decoded.envelope);
  const traceContext = hasTraceContext(fromEnvelope) ? fromEnvelope : extractTraceContext(headersToStrings(payload.message.headers));
  for (let attempt = 1; ; attempt++) {
    try {
      const ctx = handlerContext(deps, eventId, attempt);
      await inConsumerSpan(deps.consumerName, payload.topic, event, attempt, traceContext, () => handler(event, ctx));
    } catch (error) {
      const log = { ...describeError(error), topic: payload.topic, partition: payload.partition, offset: payload.message.offset, eventId, attempt };
      if (error instanceof PoisonError || attempt >= deps.maxAttempts) {
        deps.logger.error(log, 'event handler gave up; parking the message on the dead-letter topic');
        await deps.deadLetter(payload, (error as Error)?.message ?? String(error));
        return 'dead-lettered';
      }
      if (deps.isStopping()) return 'interrupted';
      deps.logger.warn(log, 'event handler failed; retrying');
      await payload.heartbeat();
      await deps.sleep(backoffDelay(attempt, deps.backoff));
      if (deps.isStopping()) return 'interrupted';
      continue;
    }
    // Outside the retry loop: a failure to record must not run the handler again here (it
    // propagates, and the redelivery finds an idempotent handler, as the contract requires).
    await deps.processed.mark(deps.consumerName, eventId);
    return 'handled';
  }
}

const tracer = trace.getTracer('@enclave/eventing');

/**
 * Runs one handler attempt in a CONSUMER span, child of the event's own trace, linked to the
 * span active here (the transport's: the kafkajs instrumentation's process span, if any).
 */
async function inConsumerSpan<T>(
  consumerName: string,
  topic: string,
  event: ConsumedEvent<T>,
  attempt: number,
  parent: Context,
  fn: () => Promise<void>,
): Promise<void> {
  const transport = trace.getSpanContext(context.active());
  const links: Link[] = transport && trace.isSpanContextValid(transport) ? [{ context: transport }] : [];
  const span = tracer.startSpan(
    `process ${topic}`,
    {
      kind: SpanKind.CONSUMER,
      links,
      attributes: {
        'messaging.system': 'kafka',
        'messaging.operation.type': 'process',
        'messaging.destination.name': topic,
        'messaging.consumer.group.name': consumerName,
        'messaging.message.id': event.id,
        'enclave.event.type': event.type,
        'enclave.attempt': attempt,
      },
    },
    parent,
  );
  try {
    await context.with(trace.setSpan(parent, span), fn);
  } catch (error) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error)?.name ?? 'Error' });
    throw error;
  } finally {
    span.end();
  }
}

function handlerContext(deps: ProcessDeps, eventId: string, attempt: number): HandlerContext {
  return {
    eventId,
    attempt,
    once: async (key, fn) => {
      const stepId = `${eventId}/once/${key}`;
      if (await deps.processed.has(deps.consumerName, stepId)) return;
      await fn();
      await deps.processed.mark(deps.consumerName, stepId);
    },
  };
}

function toConsumedEvent<T>(decoded: DecodedEvent<T>, msg: EachMessagePayload): ConsumedEvent<T> {
  return consumedEventOf(decoded, { topic: msg.topic, partition: msg.partition, offset: msg.message.offset });
}
