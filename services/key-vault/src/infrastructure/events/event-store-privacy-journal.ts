import { tenantId as checkedTenantId, type EventStore } from '@enclave/eventing';
import type { Actor } from '../../application/ports';
import type { PrivacyJournal } from '../../application/subject-key-ports';
import type { PrivacyEvent, SubjectDataPurged, SubjectKeyCreated, SubjectKeyShredded } from '../../domain/subject-key/subject-key.events';
import { toProtoActor } from './event-store-secret-streams';
import { encodeKeyVaultEvent, envelopeType } from './key-vault-event-codec';
import { subjectKeyCreatedStreamId, subjectKeyShreddedStreamId, subjectPurgeStreamId } from './stream-ids';

/**
 * Subject events in the service's event store (the outbox), each the only event of its own
 * stream (EventStore.appendOnce), so retries and redeliveries append nothing twice. The envelope's subjectId is the person.
 */
export class EventStorePrivacyJournal implements PrivacyJournal {
  constructor(private readonly store: EventStore) {}

  keyCreated(event: SubjectKeyCreated, actor: Actor): Promise<boolean> {
    return this.appendOnce(subjectKeyCreatedStreamId(event.keyId), event, actor);
  }

  keyShredded(event: SubjectKeyShredded, actor: Actor): Promise<boolean> {
    return this.appendOnce(subjectKeyShreddedStreamId(event.keyId), event, actor);
  }

  subjectPurged(event: SubjectDataPurged, actor: Actor): Promise<boolean> {
    return this.appendOnce(subjectPurgeStreamId(event.tenantId, event.requestId), event, actor);
  }

  private appendOnce(streamId: string, event: Exclude<PrivacyEvent, { type: 'RetentionPurged' }>, actor: Actor): Promise<boolean> {
    return this.store.appendOnce(streamId, [
      { type: envelopeType(event), tenantId: checkedTenantId(event.tenantId), subjectId: event.subjectId, actor: toProtoActor(actor), payload: encodeKeyVaultEvent(event) },
    ]);
  }
}
