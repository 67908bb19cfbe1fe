// Given the numbers the quota script read, is an API call allowed, and if not, why and until when?
import { decideApiQuota, secondsUntilNextMonth } from './api-quota-decision';

const now = Date.UTC(2025, 2, 31, 23, 59, 30); // 30 s before April
const probe = { tenantLimit: 1000, tenantUsed: 10, keyUsed: 5, requestsThisMinute: 1 };
const limits = { rateLimitPerMinute: 2, monthlyTokenLimit: 100 };

describe('decideApiQuota', () => {
  it('allows a call within every limit', () => {
    expect(decideApiQuota(probe, limits, now)).toEqual({ allowed: true });
    expect(decideApiQuota({ ...probe, tenantLimit: null, requestsThisMinute: 2 }, { ...limits, monthlyTokenLimit: null }, now)).toEqual({ allowed: true });
  });

  it('refuses on the tenant quota first, then the key tokens, then the rate', () => {
    const all = { tenantLimit: 10, tenantUsed: 10, keyUsed: 100, requestsThisMinute: 3 };
    expect(decideApiQuota(all, limits, now)).toEqual({ allowed: false, reason: 'quota_exhausted', retryAfterSec: 30 });
    expect(decideApiQuota({ ...all, tenantUsed: 9 }, limits, now)).toEqual({ allowed: false, reason: 'key_token_limit_reached', retryAfterSec: 30 });
    expect(decideApiQuota({ ...all, tenantUsed: 9, keyUsed: 99 }, limits, now)).toEqual({ allowed: false, reason: 'rate_limited', retryAfterSec: 30 });
  });

  it('counts months in UTC', () => {
    expect(secondsUntilNextMonth(Date.UTC(2025, 11, 31, 23, 59, 59))).toBe(1);
  });
});
