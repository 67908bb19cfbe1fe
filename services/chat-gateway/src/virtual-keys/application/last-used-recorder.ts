import type { Logger } from '@enclave/platform';

export interface LastUsedStore {
  touchLastUsed(hash: string, at: Date): Promise<void>;
}

/**
 * Keeps lastUsedAt roughly current without a database write per request: at most one write per
 * key per interval (default a minute) per replica, never awaited by a request. The shown time
 * is therefore accurate to about the interval.
 */
export class LastUsedRecorder {
  private readonly writtenAt = new Map<string, number>();
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly store: LastUsedStore,
    private readonly logger: Logger,
    private readonly clock: () => number,
    private readonly intervalMs = 60_000,
    private readonly maxTracked = 100_000,
  ) {}

  used(hash: string): void {
    const now = this.clock();
    const last = this.writtenAt.get(hash);
    if (last !== undefined && now - last < this.intervalMs) return;
    this.writtenAt.delete(hash);
    this.writtenAt.set(hash, now);
    if (this.writtenAt.size > this.maxTracked) {
      const oldest = this.writtenAt.keys().next().value;
      if (oldest !== undefined) this.writtenAt.delete(oldest);
    }
    const write = this.store
      .touchLastUsed(hash, new Date(now))
      .catch((error: unknown) => {
        this.writtenAt.delete(hash); // try again on the next request
        this.logger.warn({ err: error }, 'virtual key lastUsedAt not written');
      })
      .finally(() => this.pending.delete(write));
    this.pending.add(write);
  }

  /** Waits for writes already started (shutdown). */
  async close(): Promise<void> {
    await Promise.allSettled([...this.pending]);
  }
}
