// What does one UsageRecorded add to the totals, and which counts are refused?
import { InvalidUsageError, totalTokens, usageIncrement } from './usage-increment';

describe('usageIncrement', () => {
  it('adds the tokens and exactly one message', () => {
    expect(usageIncrement({ promptTokens: 12, completionTokens: 30 })).toEqual({ promptTokens: 12, completionTokens: 30, messages: 1 });
  });

  it('counts a message with no tokens (e.g. an aborted request)', () => {
    expect(usageIncrement({ promptTokens: 0, completionTokens: 0 })).toEqual({ promptTokens: 0, completionTokens: 0, messages: 1 });
  });

  it.each([
    { promptTokens: -1, completionTokens: 0 },
    { promptTokens: 0, completionTokens: 1.5 },
    { promptTokens: Number.NaN, completionTokens: 0 },
    { promptTokens: 2 ** 53, completionTokens: 0 },
  ])('refuses %j', (usage) => {
    expect(() => usageIncrement(usage)).toThrow(InvalidUsageError);
  });

  it('counts prompt and completion tokens against the quota', () => {
    expect(totalTokens({ promptTokens: 12, completionTokens: 30 })).toBe(42);
  });
});
