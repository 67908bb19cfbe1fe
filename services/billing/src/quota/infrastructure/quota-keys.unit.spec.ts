// Are the Redis keys exactly the ones chat-gateway reads?
import { monthlyUsageKey, quotaLimitKey, USAGE_KEY_TTL_SECONDS } from './quota-keys';

describe('quota keys (contract with chat-gateway)', () => {
  it('names the limit and the monthly usage per tenant', () => {
    expect(quotaLimitKey('t-1')).toBe('enclave:quota-limit:t-1');
    expect(monthlyUsageKey('t-1', '2025-03')).toBe('enclave:usage:t-1:2025-03');
  });

  it('keeps usage keys for about 40 days', () => {
    expect(USAGE_KEY_TTL_SECONDS).toBe(3_456_000);
  });
});
