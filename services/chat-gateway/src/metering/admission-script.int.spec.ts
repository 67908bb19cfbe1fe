// Against real Redis: does the admission script decide exactly like the domain rule (admit) on a
// table of counter states, reserve into the tenant's and the key's month counters (with their
// ttl), settle both ways, refuse a corrupt counter, and hold a quota under 1,000 concurrent admits?
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { loadInfraEnv } from '@enclave/testing';
import type { Meterable } from './application/ports';
import { admit, type AdmissionCounters, type AdmissionLimits } from './domain/admission';
import { RedisAdmissionGate } from './infrastructure/admission-script';
import { keyMonthlyUsageKey, keyRateCounterKey, monthlyUsageKey, quotaLimitKey, rateCounterKey, USAGE_COUNTER_TTL_SEC } from './infrastructure/metering-keys';

const now = Date.UTC(2025, 5, 15, 12, 0, 30);
let redis: Redis;
let gate: RedisAdmissionGate;

beforeAll(() => {
  redis = new Redis(loadInfraEnv().redisUrl, { maxRetriesPerRequest: 1 });
  gate = new RedisAdmissionGate(redis);
});

afterAll(async () => {
  await redis?.quit();
});

/** Writes the counters of a fresh tenant (and key), so the script sees exactly `counters` (rate: this request included). */
async function given(counters: AdmissionCounters, limits: AdmissionLimits): Promise<Meterable> {
  const tenantId = randomUUID();
  const keyId = randomUUID();
  if (counters.tenantLimit !== null) await redis.set(quotaLimitKey(tenantId), String(counters.tenantLimit));
  if (counters.tenantUsed > 0) await redis.set(monthlyUsageKey(tenantId, now), String(counters.tenantUsed));
  if (counters.keyUsed > 0) await redis.set(keyMonthlyUsageKey(keyId, now), String(counters.keyUsed));
  if (counters.requestsThisMinute > 1) await redis.set(keyRateCounterKey(keyId, now), String(counters.requestsThisMinute - 1));
  return { kind: 'key', tenantId, keyId, ratePerMinute: limits.ratePerMinute, monthlyTokens: limits.keyMonthlyTokens };
}

const base: AdmissionCounters = { tenantLimit: null, tenantUsed: 0, keyUsed: 0, requestsThisMinute: 1 };
const open: AdmissionLimits = { ratePerMinute: 10, keyMonthlyTokens: null };

describe('the admission script against the domain rule', () => {
  it.each<[string, AdmissionCounters, AdmissionLimits, number]>([
    ['unlimited tenant', base, open, 500],
    ['room for the worst case', { ...base, tenantLimit: 1000, tenantUsed: 200 }, open, 500],
    ['less left than the worst case', { ...base, tenantLimit: 1000, tenantUsed: 900 }, open, 500],
    ['tenant quota used up', { ...base, tenantLimit: 1000, tenantUsed: 1000 }, open, 1],
    ['over-used tenant (settles ran past the limit)', { ...base, tenantLimit: 1000, tenantUsed: 1200 }, open, 1],
    ['key budget nearly used', { ...base, tenantLimit: 1000, keyUsed: 70 }, { ...open, keyMonthlyTokens: 100 }, 500],
    ['key budget used up', { ...base, keyUsed: 100 }, { ...open, keyMonthlyTokens: 100 }, 5],
    ['rate exceeded', { ...base, requestsThisMinute: 11 }, open, 5],
    ['quota before rate', { ...base, tenantLimit: 0, requestsThisMinute: 11 }, open, 5],
  ])('%s', async (_name, counters, limits, wanted) => {
    const who = await given(counters, limits);
    const verdict = await gate.admit(who, wanted, now);
    const expected = admit(counters, limits, wanted);
    expect(verdict.admitted ? { admitted: true, reserved: verdict.reservation.reserved } : verdict).toEqual(expected);
    const used = Number((await redis.get(monthlyUsageKey(who.tenantId, now))) ?? 0);
    expect(used).toBe(counters.tenantUsed + (expected.admitted ? expected.reserved : 0));
  });
});

describe('reserve and settle', () => {
  it('reserves into the tenant and key counters of the month with their ttl, and settles both ways', async () => {
    const who = await given({ ...base, tenantLimit: 10_000 }, { ...open, keyMonthlyTokens: 5000 });
    if (who.kind !== 'key') throw new Error('a key');
    const first = await gate.admit(who, 300, now);
    const second = await gate.admit(who, 300, now);
    if (!first.admitted || !second.admitted) throw new Error('expected admission');
    const tenantKey = monthlyUsageKey(who.tenantId, now);
    const keyKey = keyMonthlyUsageKey(who.keyId, now);
    expect([await redis.get(tenantKey), await redis.get(keyKey)]).toEqual(['600', '600']);
    expect(await redis.ttl(tenantKey)).toBeGreaterThan(USAGE_COUNTER_TTL_SEC - 60);

    await gate.settle(first.reservation, 120); // used less than reserved
    await gate.settle(second.reservation, 450); // used more
    expect([await redis.get(tenantKey), await redis.get(keyKey)]).toEqual(['570', '570']);
  });

  it('counts a member against the tenant and the member rate window only', async () => {
    const tenantId = randomUUID();
    const member: Meterable = { kind: 'member', tenantId, subjectId: 's-1', ratePerMinute: 1 };
    const verdict = await gate.admit(member, 40, now);
    expect(verdict).toMatchObject({ admitted: true, reservation: { reserved: 40 } });
    expect(await redis.get(rateCounterKey(tenantId, 's-1', now))).toBe('1');
    expect(await gate.admit(member, 40, now)).toEqual({ admitted: false, reason: 'rate_limited' });
    expect(await redis.get(monthlyUsageKey(tenantId, now))).toBe('40');
  });

  it('refuses to run on a counter that is not a number (no reservation is taken)', async () => {
    const tenantId = randomUUID();
    await redis.set(quotaLimitKey(tenantId), 'lots');
    await expect(gate.admit({ kind: 'member', tenantId, subjectId: 's', ratePerMinute: 5 }, 10, now)).rejects.toThrow(/not a number/);
    expect(await redis.get(monthlyUsageKey(tenantId, now))).toBeNull();
  });
});

describe('a quota under 1,000 concurrent admissions (gate and settle, no HTTP)', () => {
  it('counts at most the quota plus the largest single reservation, and exactly what was used', async () => {
    const quota = 5000;
    const tenantId = randomUUID();
    await redis.set(quotaLimitKey(tenantId), String(quota));
    const wanted = (i: number) => 50 + (i % 7) * 10; // 50..110 tokens: prompt estimate + max tokens
    const used = (i: number) => Math.min(wanted(i), 20 + (i % 13) * 7); // never more than the request could use
    const results = await Promise.all(Array.from({ length: 1000 }, async (_, i) => {
      const member: Meterable = { kind: 'member', tenantId, subjectId: `s-${i}`, ratePerMinute: 10 };
      const verdict = await gate.admit(member, wanted(i), now);
      if (!verdict.admitted) return { served: false, used: 0 };
      await new Promise((resolve) => setImmediate(resolve)); // the provider answers while others are admitted
      await gate.settle(verdict.reservation, used(i));
      return { served: true, used: used(i) };
    }));
    const counted = Number(await redis.get(monthlyUsageKey(tenantId, now)));
    const served = results.filter((r) => r.served);
    expect(counted).toBe(served.reduce((sum, r) => sum + r.used, 0));
    expect(counted).toBeLessThanOrEqual(quota + 110);
    expect(served.length).toBeGreaterThan(0);
    expect(served.length).toBeLessThan(1000);
  });
});
