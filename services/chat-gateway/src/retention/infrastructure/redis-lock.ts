import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

const RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

/**
 * A best-effort lock shared by the replicas (SET NX PX): one replica runs a job at a time; the
 * TTL frees it if the holder dies. Released only by its holder (compare-and-delete script).
 */
export class RedisLock {
  constructor(
    private readonly redis: Redis,
    private readonly key: string,
  ) {}

  /** A release function when acquired; undefined when another replica holds it. */
  async acquire(ttlMs: number): Promise<(() => Promise<void>) | undefined> {
    const token = randomUUID();
    const ok = await this.redis.set(this.key, token, 'PX', ttlMs, 'NX');
    if (ok !== 'OK') return undefined;
    return async () => {
      await this.redis.eval(RELEASE, 1, this.key, token);
    };
  }
}
