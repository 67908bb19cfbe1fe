// What do a quota and a month's usage mean for the tenant: remaining, warning at 80%, hard stop?
import { isValidQuota, quotaStatus } from './quota-status';

describe('quotaStatus', () => {
  it('treats a null quota as unlimited: nothing remaining to count, never a warning or stop', () => {
    expect(quotaStatus(null, 5_000_000)).toEqual({
      monthlyTokenQuota: null,
      used: 5_000_000,
      remaining: null,
      warning: false,
      exhausted: false,
    });
  });

  it('is quiet below 80%', () => {
    expect(quotaStatus(1000, 799)).toEqual({ monthlyTokenQuota: 1000, used: 799, remaining: 201, warning: false, exhausted: false });
  });

  it('warns from exactly 80%', () => {
    expect(quotaStatus(1000, 800)).toMatchObject({ remaining: 200, warning: true, exhausted: false });
  });

  it('is exhausted at exactly the quota and stays at 0 remaining above it', () => {
    expect(quotaStatus(1000, 1000)).toMatchObject({ remaining: 0, warning: true, exhausted: true });
    expect(quotaStatus(1000, 1500)).toMatchObject({ remaining: 0, warning: true, exhausted: true });
  });

  it('treats a zero quota as a hard stop from the first token', () => {
    expect(quotaStatus(0, 0)).toMatchObject({ remaining: 0, exhausted: true });
  });

  it('accepts only null or a non-negative safe integer as a quota', () => {
    expect([null, 0, 1, 2 ** 53 - 1].every(isValidQuota)).toBe(true);
    expect([-1, 1.5, NaN, Infinity, 2 ** 53, '10', undefined].some(isValidQuota)).toBe(false);
  });
});
