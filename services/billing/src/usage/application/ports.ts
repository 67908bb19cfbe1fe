import type { TenantId } from '@enclave/eventing';
import type { MonthBreakdown, Totals } from '../domain/month-breakdown';
import type { UsageIncrement } from '../domain/usage-increment';

export type { MonthBreakdown, Totals };

export interface DailyKey {
  day: string;
  memberSubjectId: string;
  model: string;
}

/** Usage totals in Mongo; each increment is applied at most once per event id. */
export interface UsageTotalsStore {
  applyDaily(tenant: TenantId, key: DailyKey, eventId: string, inc: UsageIncrement): Promise<{ applied: boolean }>;
  applyMonthly(tenant: TenantId, month: string, eventId: string, inc: UsageIncrement): Promise<{ applied: boolean; totals: Totals }>;
  monthTotals(tenant: TenantId, month: string): Promise<Totals>;
  monthBreakdown(tenant: TenantId, month: string): Promise<MonthBreakdown>;
  /** Every tenant's totals for one month (Redis re-sync). */
  allTenantsOfMonth(month: string): AsyncIterable<{ tenantId: string; totals: Totals }>;
}

/** The hot copy of monthly usage the gateway reads (Redis). */
export interface UsageCache {
  /** Adds tokens to the month's counter (INCRBY) and refreshes its expiry. */
  addUsage(tenant: string, month: string, tokens: number): Promise<void>;
  /** Raises the counter to at least `tokens` (re-sync); never lowers it. */
  raiseUsage(tenant: string, month: string, tokens: number): Promise<void>;
}
