import type { TenantId } from '@enclave/eventing';
import { purgeOutcome } from '../domain/subject-key/subject-key';
import type { Actor, Clock, EventPublisher } from './ports';
import type { PrivacyJournal, SubjectKeyRepository } from './subject-key-ports';

export interface PurgeSubjectInput {
  tenantId: TenantId;
  subjectId: string;
  requestId: string;
}

const KEY_VAULT: Actor = { kind: 'service', name: 'key-vault' };

/**
 * Erasure, key-vault's part (audit's SubjectPurgeRequested): shreds the person's key, leaving a
 * tombstone so it is never created again (also for a person who never had one), records
 * SubjectKeyShredded when a key was destroyed, then confirms with SubjectDataPurged. Safe to
 * repeat: shredding is idempotent and each event is appended once (per key, per request).
 * Provider keys and tenant secrets belong to the tenant, not to the person who stored them,
 * and the events name people only by their pseudonymous id: neither is deleted here.
 */
export class PurgeSubject {
  constructor(private readonly deps: { keys: SubjectKeyRepository; journal: PrivacyJournal; publisher: EventPublisher; clock: Clock }) {}

  async execute(input: PurgeSubjectInput): Promise<{ recordsDeleted: number; shreddedKeyId: string | null }> {
    const { keys, journal } = this.deps;
    const tombstone = await keys.shred(input.tenantId, input.subjectId, input.requestId, this.deps.clock());
    const outcome = purgeOutcome(tombstone, input.requestId);
    if (outcome.shreddedKeyId !== null && tombstone.status === 'shredded') {
      await journal.keyShredded(
        { type: 'SubjectKeyShredded', tenantId: input.tenantId, subjectId: input.subjectId, keyId: outcome.shreddedKeyId, requestId: tombstone.requestId },
        KEY_VAULT,
      );
    }
    await journal.subjectPurged(
      { type: 'SubjectDataPurged', tenantId: input.tenantId, requestId: input.requestId, subjectId: input.subjectId, recordsDeleted: outcome.recordsDeleted },
      KEY_VAULT,
    );
    this.deps.publisher.nudge();
    return outcome;
  }
}
