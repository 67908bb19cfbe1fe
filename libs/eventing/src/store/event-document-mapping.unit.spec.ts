// Does a stored event read back from the driver (BSON Binary payload, _id) equal what was written?
import { mongo } from 'mongoose';
import { eventsV1 } from '@enclave/proto';
import { tenantId } from '../tenancy/tenant-id';
import { fromDocument, toDocument } from './event-document-mapping';
import type { StoredEvent } from './stored-event';

const event: StoredEvent = {
  id: '0190a5f2-0000-7000-8000-000000000001',
  streamId: 'tenant-a:instance',
  version: 3,
  tenantId: tenantId('tenant-a'),
  type: 'tenant.InstanceCreated',
  subjectId: 'subj',
  actor: { kind: eventsV1.ActorKind.ACTOR_KIND_PERSON, id: 'subj', role: 'owner' },
  occurredAt: new Date('2025-05-01T00:00:00Z'),
  schemaVersion: 1,
  traceparent: '',
  tracestate: '',
  payload: Buffer.from([9, 8, 7]),
  seq: 11,
  appendEnd: 3,
};

describe('event document mapping', () => {
  it('stores the id as _id', () => {
    const doc = toDocument(event);
    expect(doc._id).toBe(event.id);
    expect('id' in doc).toBe(false);
  });

  it('reads a BSON Binary payload back as a Buffer', () => {
    const raw = { ...toDocument(event), payload: new mongo.Binary(Buffer.from([9, 8, 7])) };
    const back = fromDocument(raw as unknown as Record<string, unknown>);
    expect(back).toEqual(event);
    expect(Buffer.isBuffer(back.payload)).toBe(true);
  });
});
