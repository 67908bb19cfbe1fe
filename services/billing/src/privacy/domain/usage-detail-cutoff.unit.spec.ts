// Which UTC day does usage detail start being kept from, for a retention period and an instant, and which period applies to a tenant?
import { DEFAULT_USAGE_DETAIL_DAYS, usageDetailCutoff, usageDetailDays } from './usage-detail-cutoff';

describe('usageDetailCutoff', () => {
  it('keeps the day the cutoff instant falls in and every later day', () => {
    const now = Date.parse('2025-03-15T12:00:00.000Z');
    expect(usageDetailCutoff(now, 30)).toEqual({ cutoffDay: '2025-02-13', cutoffMs: Date.parse('2025-02-13T00:00:00.000Z') });
  });
  it('moves to the next day exactly at UTC midnight', () => {
    expect(usageDetailCutoff(Date.parse('2025-03-15T23:59:59.999Z'), 1).cutoffDay).toBe('2025-03-14');
    expect(usageDetailCutoff(Date.parse('2025-03-16T00:00:00.000Z'), 1).cutoffDay).toBe('2025-03-15');
  });
  it('counts a leap day', () => {
    expect(usageDetailCutoff(Date.parse('2024-03-01T00:00:00.000Z'), 365).cutoffDay).toBe('2023-03-02');
  });
  it('refuses a period that is not a positive integer', () => {
    expect(() => usageDetailCutoff(0, 0)).toThrow(RangeError);
    expect(() => usageDetailCutoff(0, 1.5)).toThrow(RangeError);
  });
});

describe('usageDetailDays', () => {
  it('takes the tenant period, or the default of 365 when unset or nonsense', () => {
    expect(usageDetailDays(30)).toBe(30);
    expect(DEFAULT_USAGE_DETAIL_DAYS).toBe(365);
    for (const value of [null, undefined, 0, -3, 2.5]) expect(usageDetailDays(value)).toBe(365);
  });
});
