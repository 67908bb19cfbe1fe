// Are the Redis keys exactly the ones billing writes (limit, monthly usage) and our rate window?
import { monthlyUsageKey, quotaLimitKey, rateCounterKey } from './quota-keys';

const now = Date.UTC(2025, 2, 15, 10, 30, 0);

describe('quota keys', () => {
  it('match billing for the limit and the UTC-month usage counter', () => {
    expect(quotaLimitKey('t-1')).toBe('enclave:quota-limit:t-1');
    expect(monthlyUsageKey('t-1', now)).toBe('enclave:usage:t-1:2025-03');
  });

  it('count a member per epoch minute', () => {
    expect(rateCounterKey('t-1', 's-9', now)).toBe(`enclave:rl:t-1:s-9:${Math.floor(now / 60_000)}`);
    expect(rateCounterKey('t-1', 's-9', now + 59_999 - (now % 60_000))).toBe(rateCounterKey('t-1', 's-9', now));
  });
});
