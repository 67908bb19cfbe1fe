import type Redis from 'ioredis';
import type { LimitCache } from '../application/ports';
import type { UsageCache } from '../../usage/application/ports';
import type { MonthlyTokenQuota } from '../domain/quota-status';
import { monthlyUsageKey, quotaLimitKey, USAGE_KEY_TTL_SECONDS } from './quota-keys';

// Raise-only: sets the counter to ARGV[1] when that is higher, and refreshes the expiry.
const RAISE_USAGE = `
local current = tonumber(redis.call('GET', KEYS[1]) or '0') or 0
local target = tonumber(ARGV[1])
if target > current then redis.call('SET', KEYS[1], ARGV[1]) end
redis.call('EXPIRE', KEYS[1], ARGV[2])
return math.max(current, target)`;

/** Writes the limit chat-gateway reads; raises (never adds to) its usage counter on re-sync (see quota-keys.ts). */
export class RedisQuotaCache implements LimitCache, UsageCache {
  constructor(private readonly redis: Redis) {}

  async setLimit(tenant: string, quota: MonthlyTokenQuota): Promise<void> {
    if (quota === null) await this.redis.del(quotaLimitKey(tenant));
    else await this.redis.set(quotaLimitKey(tenant), String(quota));
  }

  async raiseUsage(tenant: string, month: string, tokens: number): Promise<void> {
    await this.redis.eval(RAISE_USAGE, 1, monthlyUsageKey(tenant, month), String(tokens), String(USAGE_KEY_TTL_SECONDS));
  }
}
