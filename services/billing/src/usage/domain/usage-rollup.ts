// The usage projections, as pure data: per tenant and month the totals with their breakdown by
// day and model, and per tenant, month and member the detail by day and model (the personal part,
// which privacy rules delete). Each rollup remembers, per Kafka partition, the offset of the last
// usage event it contains (`through`): applying a batch adds only events past that mark, so a
// batch redelivered after a crash (whatever its new boundaries) adds nothing twice.
import type { Totals } from './month-breakdown';

export interface CountedUsage {
  tenantId: string;
  month: string;
  day: string;
  memberSubjectId: string;
  model: string;
  promptTokens: number;
  completionTokens: number;
  partition: number;
  offset: number;
}

export type Through = Record<string, number>;

export interface MonthRollup {
  tenantId: string;
  month: string;
  totals: Totals;
  byDay: Array<Totals & { day: string }>;
  byModel: Array<Totals & { model: string }>;
  through: Through;
}

export interface DetailRow extends Totals {
  day: string;
  model: string;
}

export interface MemberMonthRollup {
  tenantId: string;
  month: string;
  memberSubjectId: string;
  rows: DetailRow[];
  through: Through;
}

const ZERO: Totals = { promptTokens: 0, completionTokens: 0, messages: 0 };
const partitionKey = (partition: number) => `p${partition}`;

/** The events this rollup does not contain yet (past its mark on their partition). */
export function unseen(through: Through, events: readonly CountedUsage[]): CountedUsage[] {
  return events.filter((e) => e.offset > (through[partitionKey(e.partition)] ?? -1));
}

function advanced(through: Through, events: readonly CountedUsage[]): Through {
  const next = { ...through };
  for (const e of events) next[partitionKey(e.partition)] = Math.max(next[partitionKey(e.partition)] ?? -1, e.offset);
  return next;
}

function add(a: Totals, e: { promptTokens: number; completionTokens: number }): Totals {
  return { promptTokens: a.promptTokens + e.promptTokens, completionTokens: a.completionTokens + e.completionTokens, messages: a.messages + 1 };
}

function addInto<K extends 'day' | 'model'>(rows: ReadonlyArray<Totals & Record<K, string>>, field: K, e: CountedUsage): Array<Totals & Record<K, string>> {
  const key = e[field];
  const found = rows.find((r) => r[field] === key);
  const next = found ? rows.map((r) => (r === found ? { ...r, ...add(r, e) } : r)) : [...rows, { ...add(ZERO, e), [field]: key } as Totals & Record<K, string>];
  return next.sort((a, b) => (a[field] < b[field] ? -1 : a[field] > b[field] ? 1 : 0));
}

export function emptyMonth(tenantId: string, month: string): MonthRollup {
  return { tenantId, month, totals: { ...ZERO }, byDay: [], byModel: [], through: {} };
}

export function emptyMemberMonth(tenantId: string, month: string, memberSubjectId: string): MemberMonthRollup {
  return { tenantId, month, memberSubjectId, rows: [], through: {} };
}

/** The month with the events it lacks added; null when it holds them all already. */
export function applyToMonth(rollup: MonthRollup, events: readonly CountedUsage[]): MonthRollup | null {
  const fresh = unseen(rollup.through, events);
  if (fresh.length === 0) return null;
  let { totals, byDay, byModel } = rollup;
  for (const e of fresh) {
    totals = add(totals, e);
    byDay = addInto(byDay, 'day', e);
    byModel = addInto(byModel, 'model', e);
  }
  return { ...rollup, totals, byDay, byModel, through: advanced(rollup.through, fresh) };
}

/** The member's month with the events it lacks added; null when it holds them all already. */
export function applyToMemberMonth(rollup: MemberMonthRollup, events: readonly CountedUsage[]): MemberMonthRollup | null {
  const fresh = unseen(rollup.through, events);
  if (fresh.length === 0) return null;
  const rows = [...rollup.rows];
  for (const e of fresh) {
    const i = rows.findIndex((r) => r.day === e.day && r.model === e.model);
    if (i >= 0) rows[i] = { ...rows[i]!, ...add(rows[i]!, e) };
    else rows.push({ day: e.day, model: e.model, ...add(ZERO, e) });
  }
  rows.sort((a, b) => (a.day === b.day ? (a.model < b.model ? -1 : a.model > b.model ? 1 : 0) : a.day < b.day ? -1 : 1));
  return { ...rollup, rows, through: advanced(rollup.through, fresh) };
}

export function monthRollupId(tenantId: string, month: string): string {
  return `${tenantId}|${month}`;
}

export function memberMonthRollupId(tenantId: string, month: string, memberSubjectId: string): string {
  return `${tenantId}|${month}|${memberSubjectId}`;
}
