import type Redis from 'ioredis';
import { RateLimiter, type RateBucket, type RateDecision } from './rate-limiter';

// Fixed-window counters, all buckets in one round trip: INCR each key, start its window on the
// first hit, and report the longest wait among the buckets that are over their limit. Counters
// live in Redis so a limit holds across every replica.
const CONSUME = `
local denied = 0
local retry = 0
for i = 1, #KEYS do
  local limit = tonumber(ARGV[i * 2 - 1])
  local window = tonumber(ARGV[i * 2])
  local count = redis.call('INCR', KEYS[i])
  if count == 1 then redis.call('PEXPIRE', KEYS[i], window) end
  if count > limit then
    denied = 1
    local ttl = redis.call('PTTL', KEYS[i])
    if ttl < 0 then
      redis.call('PEXPIRE', KEYS[i], window)
      ttl = window
    end
    if ttl > retry then retry = ttl end
  end
end
return {denied, retry}
`;

type ConsumeCommand = (numKeys: number, ...args: Array<string | number>) => Promise<[number, number]>;

export class RedisFixedWindowLimiter extends RateLimiter {
  constructor(
    protected readonly redis: Redis,
    /** Prepended to every key (tests use a unique one). */
    protected readonly prefix = '',
  ) {
    super();
    if (!(this.redis as unknown as { enclaveRateConsume?: unknown }).enclaveRateConsume) {
      this.redis.defineCommand('enclaveRateConsume', { lua: CONSUME });
    }
  }

  async consume(buckets: readonly RateBucket[]): Promise<RateDecision> {
    if (buckets.length === 0) return { allowed: true, retryAfterMs: 0 };
    const command = (this.redis as unknown as { enclaveRateConsume: ConsumeCommand }).enclaveRateConsume.bind(this.redis);
    const keys = buckets.map((b) => `${this.prefix}${b.key}`);
    const args = buckets.flatMap((b) => [b.limit, b.windowMs]);
    const [denied, retryAfterMs] = await command(keys.length, ...keys, ...args);
    return { allowed: denied === 0, retryAfterMs: denied === 0 ? 0 : retryAfterMs };
  }
}
