// Sums a month's daily totals per member, per model and per day. Done in the service rather
// than with $group: FerretDB computes only the first accumulator of a $group stage (and
// answers {$sum: 1} with 0), so the rows are streamed and summed here.

export interface DailyRow {
  day: string;
  memberSubjectId: string;
  model: string;
  promptTokens: number;
  completionTokens: number;
  messages: number;
}

export interface Totals {
  promptTokens: number;
  completionTokens: number;
  messages: number;
}

export interface MonthBreakdown {
  byMember: Array<Totals & { memberSubjectId: string }>;
  byModel: Array<Totals & { model: string }>;
  byDay: Array<Totals & { day: string }>;
}

export class BreakdownAccumulator {
  private readonly members = new Map<string, Totals>();
  private readonly models = new Map<string, Totals>();
  private readonly days = new Map<string, Totals>();

  add(row: DailyRow): void {
    addTo(this.members, row.memberSubjectId, row);
    addTo(this.models, row.model, row);
    addTo(this.days, row.day, row);
  }

  /** Rows sorted by their key, so the answer is stable. */
  result(): MonthBreakdown {
    return {
      byMember: sorted(this.members).map(([memberSubjectId, t]) => ({ memberSubjectId, ...t })),
      byModel: sorted(this.models).map(([model, t]) => ({ model, ...t })),
      byDay: sorted(this.days).map(([day, t]) => ({ day, ...t })),
    };
  }
}

export function monthBreakdown(rows: Iterable<DailyRow>): MonthBreakdown {
  const acc = new BreakdownAccumulator();
  for (const row of rows) acc.add(row);
  return acc.result();
}

function addTo(map: Map<string, Totals>, key: string, row: Totals): void {
  const t = map.get(key) ?? { promptTokens: 0, completionTokens: 0, messages: 0 };
  map.set(key, {
    promptTokens: t.promptTokens + row.promptTokens,
    completionTokens: t.completionTokens + row.completionTokens,
    messages: t.messages + row.messages,
  });
}

function sorted(map: Map<string, Totals>): Array<[string, Totals]> {
  return [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
