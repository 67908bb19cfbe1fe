// What happens to one consumed message: handled once and marked, skipped when already processed,
// retried with backoff, dead-lettered when undecodable, poisonous or out of retries, and left
// uncommitted when the consumer stops during a backoff? In which trace does the handler run?
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { context, trace } from '@opentelemetry/api';
import type { EachMessagePayload } from 'kafkajs';
import { eventsV1 } from '@enclave/proto';
import { buildEnvelope } from '../bus/envelope';
import { toKafkaMessage } from '../bus/kafka-message';
import { defineTopic } from '../bus/topic';
import { tenantId } from '../tenancy/tenant-id';
import type { EventHandler } from './consumed-event';
import { PoisonError } from './poison-error';
import { processMessage, type ProcessDeps } from './process-message';
import type { ProcessedEvents } from './processed-events';

const topic = defineTopic('enclave.test.events.v1', eventsV1.Actor);
const actor = { kind: eventsV1.ActorKind.ACTOR_KIND_SERVICE, id: 'svc', role: '' };

function payloadFor(value: Buffer): EachMessagePayload {
  return {
    topic: topic.name,
    partition: 0,
    message: { key: Buffer.from('tenant-a'), value, headers: {}, offset: '7', timestamp: '0', attributes: 0 },
    heartbeat: async () => undefined,
    pause: () => () => undefined,
  };
}
const goodMessage = () => {
  const env = buildEnvelope(topic, actor, { type: 'test.Happened', tenantId: tenantId('tenant-a'), actor });
  return { env, payload: payloadFor(toKafkaMessage(env).value as Buffer) };
};

function fakeDeps(over: Partial<ProcessDeps> = {}) {
  const markers = new Set<string>();
  const parked: Array<{ reason: string }> = [];
  const sleeps: number[] = [];
  const processed = {
    has: async (consumer: string, id: string) => markers.has(`${consumer}|${id}`),
    mark: async (consumer: string, id: string) => void markers.add(`${consumer}|${id}`),
  } as unknown as ProcessedEvents;
  const deps: ProcessDeps = {
    consumerName: 'c1',
    processed,
    deadLetter: async (_p, reason) => void parked.push({ reason }),
    maxAttempts: 3,
    backoff: { initialMs: 10, maxMs: 100, factor: 2, jitter: 0 },
    sleep: async (ms) => void sleeps.push(ms),
    isStopping: () => false,
    logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
    ...over,
  };
  return { deps, markers, parked, sleeps };
}

describe('processMessage', () => {
  it('runs the handler with the decoded event and records it as processed', async () => {
    const { deps, markers } = fakeDeps();
    const { env, payload } = goodMessage();
    const seen: unknown[] = [];
    const handler: EventHandler<eventsV1.Actor> = async (event, ctx) => void seen.push([event.payload, event.tenantId, ctx.eventId, event.offset]);
    await expect(processMessage(deps, topic, handler, payload)).resolves.toBe('handled');
    expect(seen).toEqual([[actor, 'tenant-a', env.id, '7']]);
    expect(markers.has(`c1|${env.id}`)).toBe(true);
  });

  it('skips an event this consumer already processed', async () => {
    const { deps } = fakeDeps();
    const { payload } = goodMessage();
    const handler = jest.fn(async () => undefined);
    await processMessage(deps, topic, handler, payload);
    await expect(processMessage(deps, topic, handler, payload)).resolves.toBe('duplicate');
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('dead-letters bytes that are not an envelope without calling the handler', async () => {
    const { deps, parked } = fakeDeps();
    const handler = jest.fn(async () => undefined);
    await expect(processMessage(deps, topic, handler, payloadFor(Buffer.from('garbage!')))).resolves.toBe('dead-lettered');
    expect(handler).not.toHaveBeenCalled();
    expect(parked[0]!.reason).toMatch(/EventEnvelope|envelope/);
  });

  it('retries a failing handler with growing backoff, then succeeds', async () => {
    const { deps, sleeps } = fakeDeps();
    let calls = 0;
    const attempts: number[] = [];
    const handler: EventHandler<eventsV1.Actor> = async (_e, ctx) => {
      attempts.push(ctx.attempt);
      if (++calls < 3) throw new Error('transient');
    };
    await expect(processMessage(deps, topic, handler, goodMessage().payload)).resolves.toBe('handled');
    expect(attempts).toEqual([1, 2, 3]);
    expect(sleeps).toEqual([10, 20]);
  });

  it('dead-letters with the error text after the last attempt, without marking it processed', async () => {
    const { deps, parked, markers } = fakeDeps();
    const handler = jest.fn(async () => {
      throw new Error('downstream said no');
    });
    await expect(processMessage(deps, topic, handler, goodMessage().payload)).resolves.toBe('dead-lettered');
    expect(handler).toHaveBeenCalledTimes(3);
    expect(parked).toEqual([{ reason: 'downstream said no' }]);
    expect(markers.size).toBe(0);
  });

  it('dead-letters a PoisonError at once', async () => {
    const { deps, parked } = fakeDeps();
    const handler = jest.fn(async () => {
      throw new PoisonError('unknown schema version 9');
    });
    await expect(processMessage(deps, topic, handler, goodMessage().payload)).resolves.toBe('dead-lettered');
    expect(handler).toHaveBeenCalledTimes(1);
    expect(parked).toEqual([{ reason: 'unknown schema version 9' }]);
  });

  it('gives up without committing or dead-lettering when stopped during a backoff', async () => {
    let stopping = false;
    const { deps, parked } = fakeDeps({ isStopping: () => stopping, sleep: async () => void (stopping = true) });
    const handler = async () => {
      throw new Error('transient');
    };
    await expect(processMessage(deps, topic, handler, goodMessage().payload)).resolves.toBe('interrupted');
    expect(parked).toEqual([]);
  });

  it('ctx.once runs a step once across redeliveries of the same event', async () => {
    const { deps } = fakeDeps();
    const { payload } = goodMessage();
    let emails = 0;
    let failNext = true;
    const handler: EventHandler<eventsV1.Actor> = async (_e, ctx) => {
      await ctx.once('send-email', async () => void emails++);
      if (failNext) {
        failNext = false;
        throw new Error('later step failed');
      }
    };
    await expect(processMessage(deps, topic, handler, payload)).resolves.toBe('handled');
    expect(emails).toBe(1);
  });
});

describe('processMessage trace context', () => {
  const manager = new AsyncLocalStorageContextManager();
  beforeAll(() => context.setGlobalContextManager(manager.enable()));
  afterAll(() => {
    manager.disable();
    context.disable();
  });
  const created = { traceparent: `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01`, tracestate: '' };
  const relayed = `00-${'c'.repeat(32)}-${'d'.repeat(16)}-01`;
  const traceIdSeenBy = async (envTrace: typeof created, headerTraceparent?: string) => {
    const env = buildEnvelope(topic, actor, { type: 'test.Happened', tenantId: tenantId('tenant-a'), actor }, { trace: envTrace });
    const payload = payloadFor(toKafkaMessage(env).value as Buffer);
    if (headerTraceparent) payload.message.headers = { traceparent: Buffer.from(headerTraceparent) };
    let seen: string | undefined;
    await processMessage(fakeDeps().deps, topic, async () => void (seen = trace.getSpanContext(context.active())?.traceId), payload);
    return seen;
  };

  it("runs the handler in the trace the event was created in, even when the headers carry the relay's send span", async () => {
    await expect(traceIdSeenBy(created, relayed)).resolves.toBe('a'.repeat(32));
  });

  it('falls back to the Kafka headers when the envelope carries no trace context', async () => {
    await expect(traceIdSeenBy({ traceparent: '', tracestate: '' }, relayed)).resolves.toBe('c'.repeat(32));
  });
});
