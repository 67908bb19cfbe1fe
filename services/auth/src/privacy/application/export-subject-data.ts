import type { AccountStore } from '../../accounts/application/account-store';
import type { AccountFields } from '../../accounts/application/account-fields';
import type { SubjectRecordStore } from './subject-records';

/**
 * Access / portability: everything auth holds about a person, personal fields opened, as one
 * JSON document. A person auth knows nothing about gives `{}` (not an error: audit asks every
 * service about every request).
 */
export class ExportSubjectData {
  constructor(
    private readonly accounts: AccountStore,
    private readonly records: SubjectRecordStore,
    private readonly fields: AccountFields,
  ) {}

  async execute(tenantId: string, subjectId: string): Promise<Record<string, unknown>> {
    const account = await this.accounts.findAccount(tenantId, subjectId);
    const records = await this.records.collect(tenantId, subjectId);
    const document: Record<string, unknown> = {};
    if (account) {
      const opened = await this.fields.open(tenantId, subjectId, account);
      document.account = {
        subjectId,
        // null once the person's key was shredded: the sealed values no longer open.
        email: opened?.email ?? null,
        displayName: opened?.displayName ?? null,
        createdAt: account.createdAt.toISOString(),
      };
    }
    if (records.membership) {
      const { role, active, updatedAt } = records.membership;
      document.membership = { role, active, updatedAt: updatedAt.toISOString() };
    }
    if (records.loginLinks.length > 0) {
      document.loginLinks = records.loginLinks.map((link) => ({
        purpose: link.purpose,
        createdAt: link.createdAt.toISOString(),
        expiresAt: link.expiresAt.toISOString(),
        usedAt: link.usedAt ? link.usedAt.toISOString() : null,
      }));
    }
    if (records.sessions.length > 0) {
      document.sessions = records.sessions.map((s) => ({ sessionId: s.sessionId, role: s.role, startedAt: s.startedAt.toISOString() }));
    }
    return document;
  }
}
