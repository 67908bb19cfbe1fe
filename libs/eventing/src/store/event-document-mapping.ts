import type { TenantId } from '../tenancy/tenant-id';
import type { StoredEvent } from './stored-event';

/** The shape written to Mongo: StoredEvent with its id under _id. */
export type EventDocument = Omit<StoredEvent, 'id'> & { _id: string };

export function toDocument(event: StoredEvent): EventDocument {
  const { id, ...rest } = event;
  return { _id: id, ...rest };
}

/** Maps a raw driver document back; binary fields come back as BSON Binary, not Buffer. */
export function fromDocument(doc: Record<string, unknown>): StoredEvent {
  const actor = (doc.actor ?? {}) as { kind?: number; id?: string; role?: string };
  return {
    id: String(doc._id),
    streamId: String(doc.streamId),
    version: Number(doc.version),
    tenantId: String(doc.tenantId) as TenantId,
    type: String(doc.type),
    subjectId: typeof doc.subjectId === 'string' ? doc.subjectId : '',
    actor: { kind: actor.kind ?? 0, id: actor.id ?? '', role: actor.role ?? '' },
    occurredAt: doc.occurredAt instanceof Date ? doc.occurredAt : new Date(String(doc.occurredAt)),
    schemaVersion: Number(doc.schemaVersion ?? 1),
    traceparent: typeof doc.traceparent === 'string' ? doc.traceparent : '',
    tracestate: typeof doc.tracestate === 'string' ? doc.tracestate : '',
    payload: toBuffer(doc.payload),
    seq: Number(doc.seq),
    appendEnd: Number(doc.appendEnd),
  };
}

function toBuffer(value: unknown): Buffer {
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof Uint8Array) return Buffer.from(value);
  // bson Binary: exposes the bytes as .buffer (a Uint8Array) and .position as the length.
  const binary = value as { buffer?: Uint8Array; position?: number } | null;
  if (binary && binary.buffer instanceof Uint8Array) {
    return Buffer.from(binary.buffer.subarray(0, binary.position ?? binary.buffer.length));
  }
  return Buffer.alloc(0);
}
