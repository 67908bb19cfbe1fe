import type { eventsV1 } from '@enclave/proto';
import type { TenantId } from '../tenancy/tenant-id';

export type Actor = eventsV1.Actor;

/** One event to append; the store assigns id, version, time and trace context. */
export interface NewEvent {
  type: string;
  tenantId: TenantId;
  /** Pseudonymous id of the person the event is about. */
  subjectId?: string;
  actor: Actor;
  /** The topic's protobuf payload message, already encoded. */
  payload: Uint8Array;
  schemaVersion?: number;
}

/** One event as stored: its document in the events collection. */
export interface StoredEvent {
  /** UUIDv7 event id (the document _id), also the envelope id consumers de-duplicate on. */
  id: string;
  streamId: string;
  version: number;
  tenantId: TenantId;
  type: string;
  subjectId: string;
  actor: Actor;
  occurredAt: Date;
  schemaVersion: number;
  traceparent: string;
  tracestate: string;
  payload: Buffer;
  /** Store-wide append order (claimed in the outbox); the relay publishes in this order. */
  seq: number;
  /** The last version written by the same append (see event-store.ts on partial appends). */
  appendEnd: number;
}
