// Does a month's breakdown add up the daily rows per member, model and day, in a stable order?
import { monthBreakdown } from './month-breakdown';

const row = (day: string, memberSubjectId: string, model: string, promptTokens: number, completionTokens: number, messages = 1) => ({
  day,
  memberSubjectId,
  model,
  promptTokens,
  completionTokens,
  messages,
});

describe('monthBreakdown', () => {
  it('sums every row into its member, model and day, sorted by key', () => {
    const result = monthBreakdown([
      row('2025-03-02', 'sub-b', 'gpt-4o', 10, 1),
      row('2025-03-01', 'sub-a', 'gpt-4o', 100, 50, 2),
      row('2025-03-02', 'sub-a', 'gpt-4o-mini', 7, 3),
    ]);
    expect(result.byMember).toEqual([
      { memberSubjectId: 'sub-a', promptTokens: 107, completionTokens: 53, messages: 3 },
      { memberSubjectId: 'sub-b', promptTokens: 10, completionTokens: 1, messages: 1 },
    ]);
    expect(result.byModel).toEqual([
      { model: 'gpt-4o', promptTokens: 110, completionTokens: 51, messages: 3 },
      { model: 'gpt-4o-mini', promptTokens: 7, completionTokens: 3, messages: 1 },
    ]);
    expect(result.byDay).toEqual([
      { day: '2025-03-01', promptTokens: 100, completionTokens: 50, messages: 2 },
      { day: '2025-03-02', promptTokens: 17, completionTokens: 4, messages: 2 },
    ]);
  });

  it('is empty for a month without usage', () => {
    expect(monthBreakdown([])).toEqual({ byMember: [], byModel: [], byDay: [] });
  });
});
