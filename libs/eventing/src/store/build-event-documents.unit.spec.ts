// Does an append get consecutive versions after the expected one, store order and one append
// marker, and are impossible appends refused before touching the database?
import { eventsV1 } from '@enclave/proto';
import { tenantId, type TenantId } from '../tenancy/tenant-id';
import { buildEventDocuments, validateAppend } from './build-event-documents';
import type { NewEvent } from './stored-event';

const tenant = tenantId('tenant-a');
const actor = { kind: eventsV1.ActorKind.ACTOR_KIND_PERSON, id: 'subj-1', role: 'admin' };
const event = (type: string, over: Partial<NewEvent> = {}): NewEvent => ({ type, tenantId: tenant, actor, payload: Uint8Array.of(1, 2), ...over });
const ctx = { ids: ['id-1', 'id-2', 'id-3'], seq: 40, occurredAt: new Date('2025-01-02T03:04:05Z'), traceparent: 'tp', tracestate: '' };

describe('buildEventDocuments', () => {
  it('assigns versions expectedVersion+1.. and seq numbers from the claimed one', () => {
    const docs = buildEventDocuments({ streamId: 's', expectedVersion: 4, events: [event('A'), event('B'), event('C')] }, ctx);
    expect(docs.map((d) => [d.id, d.version, d.seq, d.appendEnd])).toEqual([
      ['id-1', 5, 40, 7],
      ['id-2', 6, 41, 7],
      ['id-3', 7, 42, 7],
    ]);
  });

  it('starts a new stream at version 1 with defaults filled in', () => {
    const [doc] = buildEventDocuments({ streamId: 's', expectedVersion: 0, events: [event('A')] }, { ...ctx, ids: ['id-1'] });
    expect(doc).toMatchObject({ version: 1, subjectId: '', schemaVersion: 1, traceparent: 'tp', tenantId: 'tenant-a' });
    expect(Buffer.isBuffer(doc!.payload)).toBe(true);
    expect([...doc!.payload]).toEqual([1, 2]);
  });

  it('needs one id per event', () => {
    expect(() => buildEventDocuments({ streamId: 's', expectedVersion: 0, events: [event('A')] }, ctx)).toThrow('one id per event');
  });
});

describe('validateAppend', () => {
  const ok = { streamId: 's', expectedVersion: 0, events: [event('A')] };
  it('accepts a well-formed append', () => expect(() => validateAppend(ok)).not.toThrow());
  it.each([
    ['an empty stream id', { ...ok, streamId: '' }],
    ['a negative expected version', { ...ok, expectedVersion: -1 }],
    ['a fractional expected version', { ...ok, expectedVersion: 1.5 }],
    ['no events', { ...ok, events: [] }],
    ['two tenants in one append', { ...ok, events: [event('A'), event('B', { tenantId: tenantId('tenant-b') })] }],
    ['an unchecked tenant id', { ...ok, events: [event('A', { tenantId: '' as TenantId })] }],
    ['an event without type', { ...ok, events: [event('')] }],
    ['a payload that is not bytes', { ...ok, events: [event('A', { payload: 'x' as unknown as Uint8Array })] }],
  ])('refuses %s', (_name, batch) => {
    expect(() => validateAppend(batch)).toThrow(TypeError);
  });
});
