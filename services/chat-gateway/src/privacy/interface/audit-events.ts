import { defineTopic, type ConsumedEvent, type DecodedEvent, type EventHandler } from '@enclave/eventing';
import { TOPICS, type auditV1 } from '@enclave/proto';
import { assertNever } from '../../shared/assert-never';
import type { CacheSubscription } from '../../cache-events/cache-event-consumer';
import type { PrivacyChange } from '../domain/privacy-state';
import type { PrivacyRegistry } from '../application/privacy-registry';
import type { PurgeSubjectData } from '../application/purge-subject-data';
import type { RecordPrivacyChange } from '../application/record-privacy-change';

export const auditTopic = defineTopic(TOPICS.audit.name, TOPICS.audit.codec);

/** What an audit event means for the gateway: a privacy change of one person, their purge, or nothing. */
export type AuditFact =
  | { kind: 'change'; subjectId: string; change: PrivacyChange }
  | { kind: 'purge'; subjectId: string; requestId: string }
  | undefined;

export function auditFactOf(payload: auditV1.AuditEvent, occurredAtMs: number): AuditFact {
  const event = payload.event;
  if (!event) return undefined;
  switch (event.$case) {
    case 'erasureRequested':
      return { kind: 'change', subjectId: event.value.subjectId, change: { type: 'ErasureRequested', atMs: occurredAtMs } };
    case 'erasureCancelled':
      return { kind: 'change', subjectId: event.value.subjectId, change: { type: 'ErasureCancelled', atMs: occurredAtMs } };
    case 'processingRestricted':
      return { kind: 'change', subjectId: event.value.subjectId, change: { type: 'ProcessingRestricted', atMs: occurredAtMs } };
    case 'processingRestrictionLifted':
      return { kind: 'change', subjectId: event.value.subjectId, change: { type: 'ProcessingRestrictionLifted', atMs: occurredAtMs } };
    case 'subjectPurgeRequested':
      return { kind: 'purge', subjectId: event.value.subjectId, requestId: event.value.requestId };
    case 'auditTrailQueried':
    case 'auditLogVerified':
    case 'auditCheckpointSigned':
    case 'auditExported':
    case 'consentGranted': // the logging notice is shown by the web app; the gateway needs no consent state
    case 'consentWithdrawn':
    case 'dataSubjectRequestOpened':
    case 'dataSubjectRequestCompleted':
    case 'subjectErased':
    case 'subjectDataExported':
    case 'breachIncidentRecorded':
    case 'breachIncidentResolved':
      return undefined;
    default:
      return assertNever(event);
  }
}

/** Every replica, in its own group: keeps this replica's in-memory registry current. */
export function auditCacheSubscription(
  registry: PrivacyRegistry,
  onPurged: (tenantId: string, subjectId: string) => void,
): CacheSubscription<auditV1.AuditEvent> {
  return {
    topic: auditTopic,
    apply: ({ envelope, payload }: DecodedEvent<auditV1.AuditEvent>) => {
      const fact = auditFactOf(payload, envelope.occurredAtMs);
      if (!fact || !fact.subjectId) return;
      if (fact.kind === 'change') registry.apply(envelope.tenantId, fact.subjectId, fact.change);
      else {
        registry.apply(envelope.tenantId, fact.subjectId, { type: 'SubjectPurged', atMs: envelope.occurredAtMs });
        onPurged(envelope.tenantId, fact.subjectId);
      }
    },
  };
}

/** The shared consumer group (once per event): the persisted privacy rows and the purge. */
export function auditEventsHandler(record: RecordPrivacyChange, purge: PurgeSubjectData): EventHandler<auditV1.AuditEvent> {
  return async (event: ConsumedEvent<auditV1.AuditEvent>) => {
    const fact = auditFactOf(event.payload, event.occurredAt.getTime());
    if (!fact || !fact.subjectId) return;
    if (fact.kind === 'change') await record.execute(event.tenantId, fact.subjectId, fact.change);
    else await purge.execute({ tenantId: event.tenantId, subjectId: fact.subjectId, requestId: fact.requestId });
  };
}
