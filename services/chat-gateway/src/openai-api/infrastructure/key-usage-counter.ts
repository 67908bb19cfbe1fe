import type { Redis } from 'ioredis';
import type { Logger } from '@enclave/platform';
import { KEY_USAGE_TTL_SEC, keyMonthlyUsageKey } from './api-quota-keys';

/**
 * Counts each key's tokens into its monthly Redis counter (what the quota script reads) without
 * a Redis call per request: answers add to an in-memory sum, flushed every intervalMs as one
 * pipeline of INCRBY + EXPIRE. A key's limit may therefore be overrun by what its requests used
 * within one interval (the tenant quota has the same kind of lag, through billing). A failed
 * flush puts the sums back for the next one.
 */
export class KeyUsageCounter {
  private sums = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly logger: Logger,
    private readonly intervalMs = 100,
  ) {}

  add(keyId: string, tokens: number, nowMs: number): void {
    if (!(tokens > 0)) return;
    const key = keyMonthlyUsageKey(keyId, nowMs);
    this.sums.set(key, (this.sums.get(key) ?? 0) + tokens);
    if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        void this.flush();
      }, this.intervalMs);
      this.timer.unref();
    }
  }

  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.sums.size === 0) return;
    const batch = this.sums;
    this.sums = new Map();
    this.flushing = this.write(batch).finally(() => (this.flushing = undefined));
    await this.flushing;
  }

  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.flush();
  }

  private async write(batch: Map<string, number>): Promise<void> {
    const entries = [...batch];
    const pipeline = this.redis.pipeline();
    for (const [key, tokens] of entries) pipeline.incrby(key, tokens).expire(key, KEY_USAGE_TTL_SEC);
    let failed = entries;
    let error: unknown;
    try {
      const results = await pipeline.exec();
      failed = entries.filter((_, i) => !results || results[2 * i]?.[0]);
    } catch (thrown) {
      error = thrown;
    }
    if (failed.length > 0) {
      // Only the increments that did not apply go back into the next flush.
      for (const [key, tokens] of failed) this.sums.set(key, (this.sums.get(key) ?? 0) + tokens);
      this.logger.warn({ err: error, keys: failed.length }, 'key usage not counted in redis; will retry');
      if (!this.timer) {
        this.timer = setTimeout(() => {
          this.timer = undefined;
          void this.flush();
        }, Math.max(this.intervalMs, 1000));
        this.timer.unref();
      }
    }
  }
}
