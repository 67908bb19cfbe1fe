// Does a rollup add only the events past its per-partition mark, whatever batch they come in?
import { applyToMemberMonth, applyToMonth, emptyMemberMonth, emptyMonth, type CountedUsage } from './usage-rollup';

const ev = (offset: number, over: Partial<CountedUsage> = {}): CountedUsage => ({
  tenantId: 't1',
  month: '2025-03',
  day: '2025-03-02',
  memberSubjectId: 'sub-a',
  model: 'gpt-4o',
  promptTokens: 10,
  completionTokens: 5,
  partition: 0,
  offset,
  ...over,
});

describe('month rollup', () => {
  it('sums totals, by day and by model, sorted, and marks the highest offset per partition', () => {
    const r = applyToMonth(emptyMonth('t1', '2025-03'), [ev(3), ev(4, { day: '2025-03-01', model: 'a' }), ev(9, { partition: 2 })])!;
    expect(r.totals).toEqual({ promptTokens: 30, completionTokens: 15, messages: 3 });
    expect(r.byDay).toEqual([
      { day: '2025-03-01', promptTokens: 10, completionTokens: 5, messages: 1 },
      { day: '2025-03-02', promptTokens: 20, completionTokens: 10, messages: 2 },
    ]);
    expect(r.byModel.map((m) => [m.model, m.messages])).toEqual([['a', 1], ['gpt-4o', 2]]);
    expect(r.through).toEqual({ p0: 4, p2: 9 });
  });

  it('adds nothing from a batch it holds already, and only the rest of a longer redelivery', () => {
    const once = applyToMonth(emptyMonth('t1', '2025-03'), [ev(3), ev(4)])!;
    expect(applyToMonth(once, [ev(3), ev(4)])).toBeNull();
    const again = applyToMonth(once, [ev(3), ev(4), ev(5)])!;
    expect(again.totals.messages).toBe(3);
    expect(again.through).toEqual({ p0: 5 });
  });
});

describe('member-month rollup', () => {
  it('keeps one row per day and model, in order, and skips what it holds', () => {
    const r = applyToMemberMonth(emptyMemberMonth('t1', '2025-03', 'sub-a'), [ev(1), ev(2, { model: 'a' }), ev(3), ev(4, { day: '2025-03-01' })])!;
    expect(r.rows.map((x) => [x.day, x.model, x.messages])).toEqual([
      ['2025-03-01', 'gpt-4o', 1],
      ['2025-03-02', 'a', 1],
      ['2025-03-02', 'gpt-4o', 2],
    ]);
    expect(applyToMemberMonth(r, [ev(2), ev(4)])).toBeNull();
  });
});
