import type { Role } from '../../shared/roles';

/** Everything auth keeps about one person besides the account row (for export and purge). */
export interface SubjectRecords {
  membership: { role: Role; active: boolean; updatedAt: Date } | null;
  loginLinks: Array<{ purpose: string; createdAt: Date; expiresAt: Date; usedAt: Date | null }>;
  sessions: Array<{ sessionId: string; role: string; startedAt: Date }>;
}

/** Auth's rows about a person outside `accounts`: memberships, login links and their claims. */
export abstract class SubjectRecordStore {
  abstract collect(tenantId: string, subjectId: string): Promise<SubjectRecords>;
  /** Deletes them (and clears the tenant's owner pointer to the person); the rows deleted. */
  abstract deleteAll(tenantId: string, subjectId: string): Promise<number>;
}

/** Redis counters keyed by something of the person's (their email hash). */
export abstract class PersonCounters {
  /** Deletes the person's counters; how many existed. */
  abstract forget(tenantId: string, emailHash: string): Promise<number>;
}

/** Security records past their retention period (login links, claims). */
export abstract class SecurityLogStore {
  /** Tenants that hold any login link. */
  abstract tenantsWithLinks(): Promise<string[]>;
  /** Deletes the tenant's login links created before cutoffMs that can no longer be used at nowMs, and claims before cutoffMs. */
  abstract deleteBefore(tenantId: string, cutoffMs: number, nowMs: number): Promise<number>;
}
