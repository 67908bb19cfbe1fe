// Are the Redis keys exactly the ones billing writes and reads (limit, monthly usage), and our
// per-minute and per-key windows?
import { keyMonthlyUsageKey, keyRateCounterKey, monthlyUsageKey, quotaLimitKey, rateCounterKey } from './metering-keys';

const now = Date.UTC(2025, 2, 15, 10, 30, 0);

describe('metering keys', () => {
  it('match billing for the limit and the UTC-month usage counter', () => {
    expect(quotaLimitKey('t-1')).toBe('enclave:quota-limit:t-1');
    expect(monthlyUsageKey('t-1', now)).toBe('enclave:usage:t-1:2025-03');
  });

  it('count a member per epoch minute, and a virtual key per minute and month', () => {
    expect(rateCounterKey('t-1', 's-9', now)).toBe(`enclave:rl:t-1:s-9:${Math.floor(now / 60_000)}`);
    expect(rateCounterKey('t-1', 's-9', now + 59_999 - (now % 60_000))).toBe(rateCounterKey('t-1', 's-9', now));
    expect(keyRateCounterKey('k-1', now)).toBe(`enclave:vk-rl:k-1:${Math.floor(now / 60_000)}`);
    expect(keyMonthlyUsageKey('k-1', now)).toBe('enclave:vk-usage:k-1:2025-03');
  });
});
