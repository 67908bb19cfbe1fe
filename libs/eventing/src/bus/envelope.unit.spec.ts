// Does an event survive envelope encoding with its payload, ids, time and trace context, and is
// anything that is not a valid envelope refused with EnvelopeDecodeError?
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { ROOT_CONTEXT, context, trace, TraceFlags } from '@opentelemetry/api';
import { eventsV1 } from '@enclave/proto';
import { tenantId } from '../tenancy/tenant-id';
import { buildEnvelope, decodeEnvelope, encodeEnvelope, EnvelopeDecodeError } from './envelope';
import { headersToStrings, toKafkaMessage } from './kafka-message';
import { defineTopic } from './topic';

// Any ts-proto message serves as a payload type; Actor is small and stable.
const topic = defineTopic('enclave.test.events.v1', eventsV1.Actor);
const actor = { kind: eventsV1.ActorKind.ACTOR_KIND_PERSON, id: 'subj-1', role: 'owner' };
const meta = { type: 'test.ThingHappened', tenantId: tenantId('tenant-a'), subjectId: 'subj-1', actor };

describe('envelope', () => {
  const manager = new AsyncLocalStorageContextManager();
  beforeAll(() => context.setGlobalContextManager(manager.enable()));
  afterAll(() => {
    manager.disable();
    context.disable();
  });

  it('round-trips payload and envelope fields', () => {
    const payload = { kind: eventsV1.ActorKind.ACTOR_KIND_SERVICE, id: 'billing', role: '' };
    const env = buildEnvelope(topic, payload, { ...meta, streamId: 's-1', streamVersion: 7, schemaVersion: 2 }, { occurredAtMs: 1_700_000_000_123 });
    const decoded = decodeEnvelope(topic, encodeEnvelope(env));
    expect(decoded.payload).toEqual(payload);
    expect(decoded.envelope).toMatchObject({
      id: env.id,
      type: 'test.ThingHappened',
      tenantId: 'tenant-a',
      subjectId: 'subj-1',
      actor,
      occurredAtMs: 1_700_000_000_123,
      schemaVersion: 2,
      streamId: 's-1',
      streamVersion: 7,
    });
  });

  it('gives every envelope a fresh UUIDv7 id', () => {
    const a = buildEnvelope(topic, actor, meta);
    const b = buildEnvelope(topic, actor, meta);
    expect(a.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a.id).not.toBe(b.id);
  });

  it('captures the active trace context, and carries it into the Kafka headers', () => {
    const spanContext = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: TraceFlags.SAMPLED };
    const env = context.with(trace.setSpanContext(ROOT_CONTEXT, spanContext), () => buildEnvelope(topic, actor, meta));
    expect(env.traceparent).toBe('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
    const headers = headersToStrings(toKafkaMessage(env).headers);
    expect(headers).toMatchObject({ traceparent: env.traceparent, 'event-type': 'test.ThingHappened', 'event-id': env.id });
    expect(toKafkaMessage(env).key).toBe('tenant-a');
  });

  it('leaves the trace fields empty outside any span', () => {
    expect(buildEnvelope(topic, actor, meta).traceparent).toBe('');
  });

  it.each([
    ['garbage bytes', Buffer.from('this is definitely not protobuf \xff\xff\xff', 'latin1')],
    ['an empty value', Buffer.alloc(0)],
    ['an envelope without tenant', encodeEnvelope({ ...buildEnvelope(topic, actor, meta), tenantId: '' })],
    ['an envelope without id', encodeEnvelope({ ...buildEnvelope(topic, actor, meta), id: '' })],
    ['a payload the codec cannot read', encodeEnvelope({ ...buildEnvelope(topic, actor, meta), payload: Buffer.from([0x0a, 0xff]) })],
  ])('refuses %s', (_name, bytes) => {
    expect(() => decodeEnvelope(topic, bytes)).toThrow(EnvelopeDecodeError);
  });

  it('refuses a missing value', () => {
    expect(() => decodeEnvelope(topic, null)).toThrow('empty message value');
  });
});
