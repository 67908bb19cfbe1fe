// A batch of chat-gateway.UsageRecorded (one Kafka partition, offset order) into billing:
//  1. the ledger: one insert-only row per event id (insertMany, duplicates refused by the unique
//     _id): this is "billed", exactly once whatever is delivered twice;
//  2. the projections: each touched month and member-month gets the events it lacks, judged by
//     its per-partition offset mark. An event counts at the offset the ledger first saw it at, so
//     a copy of it published again later (another offset) is never added, while a batch that
//     crashed after step 1 adds its events on redelivery;
//  3. the quota: each touched month is checked for exhaustion.
// The caller commits the offsets only after this returned. Writers: the one consumer of the
// tenant's partition (tenant = message key); nothing else writes these projections concurrently.
import type { TenantId } from '@enclave/eventing';
import type { CheckExhaustion } from '../../quota/application/check-exhaustion';
import { dayKey, monthKey } from '../domain/periods';
import { totalTokens, usageIncrement } from '../domain/usage-increment';
import {
  applyToMemberMonth,
  applyToMonth,
  emptyMemberMonth,
  emptyMonth,
  memberMonthRollupId,
  monthRollupId,
  type CountedUsage,
} from '../domain/usage-rollup';
import type { LedgerEntry, UsageLedger, UsageRollupStore } from './ports';

export interface UsageFact {
  eventId: string;
  tenantId: TenantId;
  occurredAt: Date;
  requestId: string;
  outcome: string;
  memberSubjectId: string;
  model: string;
  promptTokens: number;
  completionTokens: number;
  partition: number;
  offset: number;
}

export interface BatchResult {
  /** Events newly in the ledger. */
  recorded: number;
  /** Events the ledger held already (redelivered or published twice). */
  duplicates: number;
}

const place = (e: { partition: number; offset: number }) => `${e.partition}:${e.offset}`;

export class ProjectUsageBatch {
  constructor(
    private readonly ledger: UsageLedger,
    private readonly rollups: UsageRollupStore,
    private readonly checkExhaustion: CheckExhaustion,
  ) {}

  /** Throws InvalidUsageError (before writing anything) when a fact's counts can never be applied. */
  async execute(facts: readonly UsageFact[]): Promise<BatchResult> {
    const entries = uniqueById(facts).map(toLedgerEntry);
    if (entries.length === 0) return { recorded: 0, duplicates: 0 };
    const already = await this.ledger.insertNew(entries);
    const places = already.size > 0 ? await this.ledger.placesOf([...already]) : new Map<string, string>();
    const counted = entries.filter((e) => !already.has(e.eventId) || places.get(e.eventId) === place(e)).map(toCounted);
    await this.project(counted);
    return { recorded: entries.length - already.size, duplicates: facts.length - (entries.length - already.size) };
  }

  private async project(counted: readonly CountedUsage[]): Promise<void> {
    const months = groupBy(counted, (e) => monthRollupId(e.tenantId, e.month));
    const members = groupBy(counted, (e) => memberMonthRollupId(e.tenantId, e.month, e.memberSubjectId));
    // One document at a time: the database has one writer lock, concurrent writes only queue on it.
    for (const events of members.values()) {
      const { tenantId, month, memberSubjectId } = events[0]!;
      const current = (await this.rollups.memberMonth(tenantId, month, memberSubjectId)) ?? emptyMemberMonth(tenantId, month, memberSubjectId);
      const next = applyToMemberMonth(current, events);
      if (next) await this.rollups.saveMemberMonth(next);
    }
    for (const events of months.values()) {
      const { tenantId, month } = events[0]!;
      const current = (await this.rollups.month(tenantId, month)) ?? emptyMonth(tenantId, month);
      const next = applyToMonth(current, events);
      if (next) await this.rollups.saveMonth(next);
      // Also when nothing was new: a crash may have come between the save and this check.
      await this.checkExhaustion.execute(tenantId as TenantId, month, totalTokens((next ?? current).totals));
    }
  }
}

function uniqueById(facts: readonly UsageFact[]): UsageFact[] {
  const seen = new Map<string, UsageFact>();
  for (const fact of facts) if (!seen.has(fact.eventId)) seen.set(fact.eventId, fact);
  return [...seen.values()];
}

function toLedgerEntry(fact: UsageFact): LedgerEntry {
  const inc = usageIncrement({ promptTokens: fact.promptTokens, completionTokens: fact.completionTokens });
  return {
    eventId: fact.eventId,
    tenantId: fact.tenantId,
    requestId: fact.requestId,
    outcome: fact.outcome,
    occurredAt: fact.occurredAt,
    month: monthKey(fact.occurredAt),
    day: dayKey(fact.occurredAt),
    memberSubjectId: fact.memberSubjectId,
    model: fact.model,
    promptTokens: inc.promptTokens,
    completionTokens: inc.completionTokens,
    partition: fact.partition,
    offset: fact.offset,
  };
}

function toCounted(e: LedgerEntry): CountedUsage {
  return {
    tenantId: e.tenantId,
    month: e.month,
    day: e.day,
    memberSubjectId: e.memberSubjectId,
    model: e.model,
    promptTokens: e.promptTokens,
    completionTokens: e.completionTokens,
    partition: e.partition,
    offset: e.offset,
  };
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
