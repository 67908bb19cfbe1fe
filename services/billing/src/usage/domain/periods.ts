// Calendar keys for usage totals, always in UTC: a day is YYYY-MM-DD, a month YYYY-MM. Usage is
// filed under the day the event occurred (not when it was processed), so a redelivered event
// lands in the same totals as the first delivery.

const MONTH_KEY = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function dayKey(at: Date): string {
  assertValidDate(at);
  return at.toISOString().slice(0, 10);
}

export function monthKey(at: Date): string {
  assertValidDate(at);
  return at.toISOString().slice(0, 7);
}

export function isMonthKey(text: string): boolean {
  const match = MONTH_KEY.exec(text);
  return match !== null && Number(match[1]) >= 1970;
}

/** First and last day keys of a month (inclusive), for range queries over day keys. */
export function daysOfMonth(month: string): { first: string; last: string } {
  if (!isMonthKey(month)) throw new RangeError('month must be YYYY-MM');
  const [year, mon] = month.split('-').map(Number) as [number, number];
  const lastDay = new Date(Date.UTC(year, mon, 0)).getUTCDate();
  return { first: `${month}-01`, last: `${month}-${String(lastDay).padStart(2, '0')}` };
}

function assertValidDate(at: Date): void {
  if (Number.isNaN(at.getTime())) throw new RangeError('invalid date');
}
