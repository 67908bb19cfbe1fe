// Are usage days and months the UTC calendar keys, whatever the local time zone?
import { dayKey, daysOfMonth, isMonthKey, monthKey } from './periods';

describe('usage periods', () => {
  it('files an instant under its UTC day and month', () => {
    const justBeforeMidnight = new Date('2025-01-31T23:59:59.999Z');
    expect(dayKey(justBeforeMidnight)).toBe('2025-01-31');
    expect(monthKey(justBeforeMidnight)).toBe('2025-01');
    const newYear = new Date('2025-02-01T00:00:00.000Z');
    expect(dayKey(newYear)).toBe('2025-02-01');
    expect(monthKey(newYear)).toBe('2025-02');
  });

  it('uses UTC even for an instant given with an offset', () => {
    const tokyoMorning = new Date('2025-03-01T08:00:00+09:00');
    expect(dayKey(tokyoMorning)).toBe('2025-02-28');
    expect(monthKey(tokyoMorning)).toBe('2025-02');
  });

  it('refuses an invalid date instead of filing it under "Invalid"', () => {
    expect(() => dayKey(new Date('nope'))).toThrow(RangeError);
    expect(() => monthKey(new Date(NaN))).toThrow(RangeError);
  });

  it.each(['2025-01', '2024-12', '1970-01'])('accepts %s as a month', (text) => {
    expect(isMonthKey(text)).toBe(true);
  });

  it.each(['2025-13', '2025-00', '2025-1', '25-01', '2025-01-01', '', '1969-12', '2025/01'])(
    'rejects %s as a month',
    (text) => {
      expect(isMonthKey(text)).toBe(false);
    },
  );

  it('knows the first and last day of a month, leap years included', () => {
    expect(daysOfMonth('2024-02')).toEqual({ first: '2024-02-01', last: '2024-02-29' });
    expect(daysOfMonth('2025-02')).toEqual({ first: '2025-02-01', last: '2025-02-28' });
    expect(daysOfMonth('2025-12')).toEqual({ first: '2025-12-01', last: '2025-12-31' });
    expect(() => daysOfMonth('2025-13')).toThrow(RangeError);
  });
});
