import { ConcurrencyError } from '@enclave/eventing';
import type { AccountStore } from '../../accounts/application/account-store';
import type { AccountFields } from '../../accounts/application/account-fields';
import type { AuthEventLog } from '../../shared/application/auth-event-log';
import { privacyStreams, type SubjectDataPurged } from '../domain/privacy-events';
import type { PersonCounters, SubjectRecordStore } from './subject-records';

export interface PurgeSubjectInput {
  tenantId: string;
  requestId: string;
  subjectId: string;
}

export interface PurgeSubjectDeps {
  accounts: AccountStore;
  records: SubjectRecordStore;
  counters: PersonCounters;
  fields: AccountFields;
  events: AuthEventLog;
}

/**
 * Erasure, auth's part (audit's SubjectPurgeRequested): deletes the person's Redis counters,
 * login links, claims and membership, then the account row last (it holds the email hash the
 * counters are found by, so a crash part-way is finished by the redelivery), forgets their key
 * here, and confirms with SubjectDataPurged once per request: the confirmation stream is
 * appended at version 0, so a redelivery purges again (a no-op) but cannot confirm twice.
 */
export class PurgeSubject {
  constructor(private readonly deps: PurgeSubjectDeps) {}

  async execute(input: PurgeSubjectInput): Promise<{ recordsDeleted: number; confirmed: boolean }> {
    const { deps } = this;
    const { tenantId, subjectId } = input;
    const account = await deps.accounts.findAccount(tenantId, subjectId);
    let recordsDeleted = account ? await deps.counters.forget(tenantId, account.emailHash) : 0;
    recordsDeleted += await deps.records.deleteAll(tenantId, subjectId);
    recordsDeleted += await deps.accounts.deleteAccount(tenantId, subjectId);
    deps.fields.forget(tenantId, subjectId);

    const event: SubjectDataPurged = { type: 'SubjectDataPurged', tenantId, requestId: input.requestId, subjectId, recordsDeleted };
    try {
      await deps.events.append(tenantId, privacyStreams.subjectPurge(input.requestId), 0, [event], { kind: 'service', name: 'auth' });
      return { recordsDeleted, confirmed: true };
    } catch (error) {
      if (error instanceof ConcurrencyError) return { recordsDeleted, confirmed: false };
      throw error;
    }
  }
}
