import type { TenantId } from '@enclave/eventing';
import type { MonthBreakdown, Totals } from '../domain/month-breakdown';
import type { CountedUsage, MemberMonthRollup, MonthRollup } from '../domain/usage-rollup';

export type { MonthBreakdown, Totals };

/** One UsageRecorded as the ledger keeps it: the counted usage with where it was read from, plus its ids. */
export interface LedgerEntry extends CountedUsage {
  eventId: string;
  requestId: string;
  outcome: string;
  occurredAt: Date;
}

/** usage_ledger: one insert-only row per UsageRecorded, keyed by its event id. */
export interface UsageLedger {
  /** Inserts the entries not recorded yet; returns the ids that were recorded already. */
  insertNew(entries: readonly LedgerEntry[]): Promise<Set<string>>;
  /** Where each of these (recorded) events was first read from, as `partition:offset`. */
  placesOf(eventIds: readonly string[]): Promise<Map<string, string>>;
}

/** The usage projections: written by the one consumer of the tenant's partition. */
export interface UsageRollupStore {
  month(tenant: string, month: string): Promise<MonthRollup | null>;
  memberMonth(tenant: string, month: string, memberSubjectId: string): Promise<MemberMonthRollup | null>;
  saveMonth(rollup: MonthRollup): Promise<void>;
  saveMemberMonth(rollup: MemberMonthRollup): Promise<void>;
}

/** What the usage report, the quota and the Redis re-sync read. */
export interface UsageTotalsStore {
  monthTotals(tenant: TenantId, month: string): Promise<Totals>;
  monthBreakdown(tenant: TenantId, month: string): Promise<MonthBreakdown>;
  /** Every tenant's totals for one month (Redis re-sync). */
  allTenantsOfMonth(month: string): AsyncIterable<{ tenantId: string; totals: Totals }>;
}

/** The Redis month counter: chat-gateway owns it; billing only raises it to its own total on re-sync. */
export interface UsageCache {
  /** Raises the counter to at least `tokens`; never lowers it, never adds to it. */
  raiseUsage(tenant: string, month: string, tokens: number): Promise<void>;
}
