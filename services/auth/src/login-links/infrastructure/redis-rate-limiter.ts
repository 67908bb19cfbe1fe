import { RedisFixedWindowLimiter } from '@enclave/platform';
import { personRateKeys } from '../application/rate-limiter';
import type { PersonCounters } from '../../privacy/application/subject-records';

/** Login-link counters in Redis; a person's own counters go when the person is erased. */
export class RedisRateLimiter extends RedisFixedWindowLimiter implements PersonCounters {
  async forget(tenantId: string, emailHash: string): Promise<number> {
    return this.redis.del(...personRateKeys(tenantId, emailHash).map((key) => `${this.prefix}${key}`));
  }
}
