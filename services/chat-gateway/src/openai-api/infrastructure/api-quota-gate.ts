import type { Redis } from 'ioredis';
import { monthlyUsageKey, quotaLimitKey } from '../../chat/infrastructure/quota-keys';
import type { ApiQuotaProbe } from '../domain/api-quota-decision';
import { KEY_RATE_COUNTER_TTL_SEC, keyMonthlyUsageKey, keyRateCounterKey } from './api-quota-keys';

// The sibling of the conversation path's quota script, for virtual keys: the tenant's monthly
// limit and usage (billing's keys), the key's monthly usage, and the key's per-minute request
// count (incremented here), in ONE round trip (EVALSHA through defineCommand).
const PROBE_SCRIPT = `
local limit = redis.call('GET', KEYS[1])
local used = redis.call('GET', KEYS[2])
local keyUsed = redis.call('GET', KEYS[3])
local count = redis.call('INCR', KEYS[4])
if count == 1 then redis.call('EXPIRE', KEYS[4], tonumber(ARGV[1])) end
return {limit or '', used or '', keyUsed or '', count}
`;

interface ProbeCommand {
  enclaveApiQuotaProbe(limitKey: string, usageKey: string, keyUsageKey: string, rateKey: string, ttlSec: number): Promise<[string, string, string, number]>;
}

export class ApiQuotaDataError extends Error {
  override readonly name = 'ApiQuotaDataError';
}

export class ApiQuotaGate {
  private readonly redis: Redis & ProbeCommand;

  constructor(redis: Redis) {
    if (!('enclaveApiQuotaProbe' in redis)) redis.defineCommand('enclaveApiQuotaProbe', { numberOfKeys: 4, lua: PROBE_SCRIPT });
    this.redis = redis as Redis & ProbeCommand;
  }

  async probe(tenantId: string, keyId: string, nowMs: number): Promise<ApiQuotaProbe> {
    const [limit, used, keyUsed, count] = await this.redis.enclaveApiQuotaProbe(
      quotaLimitKey(tenantId),
      monthlyUsageKey(tenantId, nowMs),
      keyMonthlyUsageKey(keyId, nowMs),
      keyRateCounterKey(keyId, nowMs),
      KEY_RATE_COUNTER_TTL_SEC,
    );
    return {
      tenantLimit: limit === '' ? null : counter(limit, 'quota limit'),
      tenantUsed: used === '' ? 0 : counter(used, 'monthly usage'),
      keyUsed: keyUsed === '' ? 0 : counter(keyUsed, 'key usage'),
      requestsThisMinute: Number(count),
    };
  }
}

function counter(raw: string, what: string): number {
  if (!/^\d{1,16}$/.test(raw)) throw new ApiQuotaDataError(`${what} in Redis is not a non-negative integer`);
  return Number(raw);
}
