// chat-gateway.UsageRecorded: add one completion's tokens to the day (per member and model) and
// month totals, each at most once per event id, then mirror the month into Redis and check the
// quota. Redis moves by INCRBY only when the month's Mongo update actually applied, so a
// redelivery never counts twice there either.
import type { TenantId } from '@enclave/eventing';
import type { BillingLogger } from '../../quota/application/ports';
import type { CheckExhaustion } from '../../quota/application/check-exhaustion';
import { dayKey, monthKey } from '../domain/periods';
import { totalTokens, usageIncrement } from '../domain/usage-increment';
import type { UsageCache, UsageTotalsStore } from './ports';

export interface UsageFact {
  eventId: string;
  tenantId: TenantId;
  occurredAt: Date;
  memberSubjectId: string;
  model: string;
  promptTokens: number;
  completionTokens: number;
}

export class RecordUsage {
  /** Tenant months whose Redis counter missed an INCRBY (Redis was down): re-synced later. */
  private readonly stale = new Map<string, { tenantId: TenantId; month: string }>();

  constructor(
    private readonly totals: UsageTotalsStore,
    private readonly cache: UsageCache,
    private readonly checkExhaustion: CheckExhaustion,
    private readonly logger: BillingLogger,
  ) {}

  /** Throws InvalidUsageError for counts that can never be applied. */
  async execute(fact: UsageFact): Promise<void> {
    const inc = usageIncrement({ promptTokens: fact.promptTokens, completionTokens: fact.completionTokens });
    const month = monthKey(fact.occurredAt);
    const daily = { day: dayKey(fact.occurredAt), memberSubjectId: fact.memberSubjectId, model: fact.model };
    await this.totals.applyDaily(fact.tenantId, daily, fact.eventId, inc);
    const monthly = await this.totals.applyMonthly(fact.tenantId, month, fact.eventId, inc);
    if (monthly.applied) await this.addToCache(fact.tenantId, month, totalTokens(inc));
    await this.checkExhaustion.execute(fact.tenantId, month, totalTokens(monthly.totals));
  }

  /** Raises every stale Redis counter to its Mongo total; those that fail stay for next time. */
  async resyncStale(): Promise<number> {
    let done = 0;
    for (const [key, { tenantId, month }] of [...this.stale]) {
      try {
        await this.cache.raiseUsage(tenantId, month, totalTokens(await this.totals.monthTotals(tenantId, month)));
        this.stale.delete(key);
        done += 1;
      } catch {
        break;
      }
    }
    return done;
  }

  private async addToCache(tenantId: TenantId, month: string, tokens: number): Promise<void> {
    try {
      await this.cache.addUsage(tenantId, month, tokens);
    } catch (error) {
      this.stale.set(`${tenantId}|${month}`, { tenantId, month });
      this.logger.warn({ err: (error as Error).name, tenantId }, 'redis usage counter not updated; will re-sync');
    }
  }
}
