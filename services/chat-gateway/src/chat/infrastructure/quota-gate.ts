import type { Redis } from 'ioredis';
import type { QuotaProbe } from '../domain/quota-decision';
import { monthlyUsageKey, quotaLimitKey, rateCounterKey, RATE_COUNTER_TTL_SEC } from './quota-keys';

// Quota and rate limit in ONE Redis round trip: a Lua script (EVALSHA via defineCommand, EVAL
// only the first time) reads the tenant's limit and monthly usage and counts this request in the
// member's per-minute window, atomically. The decision itself is pure (decideQuota).
const PROBE_SCRIPT = `
local limit = redis.call('GET', KEYS[1])
local used = redis.call('GET', KEYS[2])
local count = redis.call('INCR', KEYS[3])
if count == 1 then redis.call('EXPIRE', KEYS[3], tonumber(ARGV[1])) end
return {limit or '', used or '', count}
`;

interface ProbeCommand {
  enclaveQuotaProbe(limitKey: string, usageKey: string, rateKey: string, ttlSec: number): Promise<[string, string, number]>;
}

/** A counter value billing wrote that is not a non-negative integer. */
export class QuotaDataError extends Error {
  override readonly name = 'QuotaDataError';
}

export class QuotaGate {
  private readonly redis: Redis & ProbeCommand;

  constructor(redis: Redis) {
    if (!('enclaveQuotaProbe' in redis)) {
      redis.defineCommand('enclaveQuotaProbe', { numberOfKeys: 3, lua: PROBE_SCRIPT });
    }
    this.redis = redis as Redis & ProbeCommand;
  }

  async probe(tenantId: string, subjectId: string, nowMs: number): Promise<QuotaProbe> {
    const [limit, used, count] = await this.redis.enclaveQuotaProbe(
      quotaLimitKey(tenantId),
      monthlyUsageKey(tenantId, nowMs),
      rateCounterKey(tenantId, subjectId, nowMs),
      RATE_COUNTER_TTL_SEC,
    );
    return {
      monthlyTokenLimit: limit === '' ? null : parseCounter(limit, 'quota limit'),
      tokensUsedThisMonth: used === '' ? 0 : parseCounter(used, 'monthly usage'),
      requestsThisMinute: Number(count),
    };
  }
}

function parseCounter(raw: string, what: string): number {
  if (!/^\d{1,16}$/.test(raw)) throw new QuotaDataError(`${what} in Redis is not a non-negative integer`);
  return Number(raw);
}
