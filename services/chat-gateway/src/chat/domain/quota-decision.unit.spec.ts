// Given the counters one Redis script read, is the chat allowed, and if not, why and for how long?
import { billingMonth, decideQuota, epochMinute } from './quota-decision';

const now = Date.UTC(2025, 2, 31, 23, 59, 30); // 30 s before April
const policy = { ratePerMinute: 60, nowMs: now };

describe('decideQuota', () => {
  it('allows an unlimited tenant under the rate limit', () => {
    expect(decideQuota({ monthlyTokenLimit: null, tokensUsedThisMonth: 10 ** 9, requestsThisMinute: 60 }, policy)).toEqual({ allowed: true });
  });

  it('allows while usage is below the limit', () => {
    expect(decideQuota({ monthlyTokenLimit: 1000, tokensUsedThisMonth: 999, requestsThisMinute: 1 }, policy)).toEqual({ allowed: true });
  });

  it('refuses at the limit with quota_exhausted until the next month', () => {
    expect(decideQuota({ monthlyTokenLimit: 1000, tokensUsedThisMonth: 1000, requestsThisMinute: 1 }, policy)).toEqual({
      allowed: false,
      reason: 'quota_exhausted',
      retryAfterSec: 30,
    });
  });

  it('treats a zero limit as no tokens at all', () => {
    expect(decideQuota({ monthlyTokenLimit: 0, tokensUsedThisMonth: 0, requestsThisMinute: 1 }, policy)).toMatchObject({ reason: 'quota_exhausted' });
  });

  it('refuses the request beyond the per-minute rate until the next minute', () => {
    expect(decideQuota({ monthlyTokenLimit: null, tokensUsedThisMonth: 0, requestsThisMinute: 61 }, policy)).toEqual({
      allowed: false,
      reason: 'rate_limited',
      retryAfterSec: 30,
    });
  });

  it('reports the quota before the rate when both are exceeded', () => {
    expect(decideQuota({ monthlyTokenLimit: 5, tokensUsedThisMonth: 6, requestsThisMinute: 100 }, policy)).toMatchObject({ reason: 'quota_exhausted' });
  });
});

describe('billing windows', () => {
  it('names the UTC month and the epoch minute', () => {
    expect(billingMonth(now)).toBe('2025-03');
    expect(billingMonth(Date.UTC(2025, 0, 1))).toBe('2025-01');
    expect(epochMinute(120_000)).toBe(2);
    expect(epochMinute(119_999)).toBe(1);
  });
});
