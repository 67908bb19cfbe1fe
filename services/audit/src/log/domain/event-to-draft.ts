// What a consumed event becomes in the log: envelope facts plus the canonical JSON of its
// decoded payload. Events carry pseudonymous ids only, so nothing here is personal data.
import { canonicalJson } from './canonical-json';
import { PLATFORM_TENANT, type ActorKindName, type EntryDraft } from './audit-entry';
import { payloadToJson } from './payload-json';

/** The envelope fields the log needs (kept free of Kafka and proto types). */
export interface LoggedEvent {
  id: string;
  type: string;
  tenantId: string;
  subjectId: string;
  actor: { kind: number; id: string; role: string };
  occurredAt: Date;
  payload: unknown;
}

// eventsV1.ActorKind values: 0 unspecified, 1 person, 2 service, 3 system.
const ACTOR_KINDS: readonly ActorKindName[] = ['unspecified', 'person', 'service', 'system'];

export function actorKindName(kind: number): ActorKindName {
  return ACTOR_KINDS[kind] ?? 'unspecified';
}

export function toEntryDraft(event: LoggedEvent, service: string, recordedAt: Date): EntryDraft {
  return {
    tenantId: event.tenantId === '' ? PLATFORM_TENANT : event.tenantId,
    eventId: event.id,
    service,
    type: event.type,
    actor: { kind: actorKindName(event.actor.kind), id: event.actor.id, role: event.actor.role },
    subjectId: event.subjectId,
    occurredAt: event.occurredAt,
    recordedAt,
    payload: canonicalJson(payloadToJson(event.payload)),
  };
}
