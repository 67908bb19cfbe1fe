// Given the counters, is a metered completion admitted and how many tokens does it reserve, or
// why is it refused and until when?
import { admit, reservationWanted, retryAfterSec } from './admission';
import { billingMonth, epochMinute, secondsUntilNextMonth } from './billing-window';

const member = { ratePerMinute: 60, keyMonthlyTokens: null };
const fresh = { tenantLimit: null, tenantUsed: 0, keyUsed: 0, requestsThisMinute: 1 };

describe('admit', () => {
  it('given an unlimited tenant, then the whole worst case is reserved (usage is still counted)', () => {
    expect(admit({ ...fresh, tenantUsed: 10 ** 9 }, member, 5000)).toEqual({ admitted: true, reserved: 5000 });
  });

  it('given room for the worst case, then the worst case is reserved', () => {
    expect(admit({ ...fresh, tenantLimit: 10_000, tenantUsed: 4000 }, member, 5000)).toEqual({ admitted: true, reserved: 5000 });
  });

  it('given less left than the worst case, then still the whole worst case is reserved (the counter may pass the limit by it)', () => {
    expect(admit({ ...fresh, tenantLimit: 10_000, tenantUsed: 9999 }, member, 5000)).toEqual({ admitted: true, reserved: 5000 });
  });

  it('given nothing left (in-flight reservations count), then quota_exhausted', () => {
    expect(admit({ ...fresh, tenantLimit: 10_000, tenantUsed: 10_000 }, member, 1)).toEqual({ admitted: false, reason: 'quota_exhausted' });
    expect(admit({ ...fresh, tenantLimit: 10_000, tenantUsed: 14_000 }, member, 1)).toEqual({ admitted: false, reason: 'quota_exhausted' });
    expect(admit({ ...fresh, tenantLimit: 0 }, member, 1)).toEqual({ admitted: false, reason: 'quota_exhausted' });
  });

  it('given a key budget, then the key must have something left too', () => {
    const key = { ratePerMinute: 60, keyMonthlyTokens: 1000 };
    expect(admit({ ...fresh, tenantLimit: 10_000, keyUsed: 999 }, key, 5000)).toEqual({ admitted: true, reserved: 5000 });
    expect(admit({ ...fresh, keyUsed: 1000 }, key, 5000)).toEqual({ admitted: false, reason: 'key_token_limit_reached' });
  });

  it('given a member beyond the rate, then rate_limited, but quota and budget are reported first', () => {
    expect(admit({ ...fresh, requestsThisMinute: 61 }, member, 10)).toEqual({ admitted: false, reason: 'rate_limited' });
    expect(admit({ ...fresh, requestsThisMinute: 61, tenantLimit: 5, tenantUsed: 5 }, member, 10)).toMatchObject({ reason: 'quota_exhausted' });
    expect(admit({ ...fresh, requestsThisMinute: 61, keyUsed: 9 }, { ratePerMinute: 60, keyMonthlyTokens: 9 }, 10)).toMatchObject({ reason: 'key_token_limit_reached' });
  });
});

describe('reservationWanted', () => {
  it('is the prompt plus the request cap, or the default cap when it set none', () => {
    expect(reservationWanted({ promptTokens: 12, maxCompletionTokens: 100 }, 4096)).toBe(112);
    expect(reservationWanted({ promptTokens: 12, maxCompletionTokens: undefined }, 4096)).toBe(4108);
  });

  it('counts every completion asked for, and never reserves nothing', () => {
    expect(reservationWanted({ promptTokens: 10, maxCompletionTokens: 50, choices: 3 }, 4096)).toBe(160);
    expect(reservationWanted({ promptTokens: 0, maxCompletionTokens: 0 }, 4096)).toBe(1);
  });
});

describe('retry-after and windows', () => {
  const now = Date.UTC(2025, 2, 31, 23, 59, 30); // 30 s before April, 30 s before the next minute

  it('is the next month for a quota or budget, the next minute for the rate', () => {
    expect(retryAfterSec('quota_exhausted', now)).toBe(30);
    expect(retryAfterSec('key_token_limit_reached', now + 10_000)).toBe(20);
    expect(retryAfterSec('rate_limited', Date.UTC(2025, 2, 1, 10, 0, 45))).toBe(15);
  });

  it('names UTC months and epoch minutes', () => {
    expect(billingMonth(now)).toBe('2025-03');
    expect(billingMonth(Date.UTC(2025, 0, 1))).toBe('2025-01');
    expect(epochMinute(120_000)).toBe(2);
    expect(epochMinute(119_999)).toBe(1);
    expect(secondsUntilNextMonth(Date.UTC(2025, 11, 31, 23, 59, 59))).toBe(1);
  });
});
