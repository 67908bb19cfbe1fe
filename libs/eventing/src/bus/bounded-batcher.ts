/** Past the bound (or right after a failed batch): shed load, retry after retryAfterSec. Nothing was queued. */
export class PublisherSaturatedError extends Error {
  override readonly name = 'PublisherSaturatedError';
  constructor(
    readonly retryAfterSec: number,
    message = 'too many facts are waiting to be published',
  ) {
    super(message);
  }
}

/** submit() after close(): the caller raced shutdown. Nothing was queued. */
export class PublisherClosedError extends Error {
  override readonly name = 'PublisherClosedError';
  constructor() {
    super('the publisher is stopped');
  }
}

export interface BoundedBatcherOptions<T> {
  /** Sends one batch; resolves when it is durable (acknowledged), rejects otherwise. */
  send(batch: readonly T[]): Promise<void>;
  /** A batch goes out as soon as this many items wait. */
  maxBatch: number;
  /**
   * Otherwise this long after the first item arrived (while no batch is in flight); 0 sends at the
   * end of the current event-loop turn. Under load items batch anyway while a send is in flight,
   * so a linger only adds latency to a lone item.
   */
  lingerMs: number;
  /** Items waiting plus in flight; past it submit() rejects at once with PublisherSaturatedError. */
  maxPending: number;
  /** What a refusal tells the client; also how long refusal() stays busy after a failed batch. */
  retryAfterSec: number;
  now?: () => number;
}

interface Entry<T> {
  item: T;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * The pure part of a durable publisher: items wait at most lingerMs (or until maxBatch are
 * waiting), one batch is in flight at a time (so order holds), and each submit() settles with
 * its own batch: resolved when that batch was acknowledged, rejected when it failed. Memory is
 * bounded: beyond maxPending items waiting or in flight, submit() refuses at once rather than
 * queue without limit or drop anything.
 */
export class BoundedBatcher<T> {
  private waiting: Array<Entry<T>> = [];
  private inFlight = 0;
  private cancelTimer: (() => void) | undefined;
  private failedAtMs: number | undefined;
  private closed = false;
  private idleWaiters: Array<() => void> = [];
  private readonly now: () => number;

  constructor(private readonly options: BoundedBatcherOptions<T>) {
    if (!(options.maxBatch >= 1 && options.maxPending >= 1)) throw new RangeError('maxBatch and maxPending must be at least 1');
    this.now = options.now ?? Date.now;
  }

  /** Items waiting or in flight. */
  get pending(): number {
    return this.waiting.length + this.inFlight;
  }

  /**
   * Why new work should be turned away now (full, or a batch failed within retryAfterSec), or
   * undefined. Checked before work whose fact must be published later is started.
   */
  refusal(): PublisherSaturatedError | undefined {
    const { retryAfterSec } = this.options;
    if (this.closed) return new PublisherSaturatedError(retryAfterSec, 'the publisher is stopping');
    if (this.pending >= this.options.maxPending) return new PublisherSaturatedError(retryAfterSec);
    if (this.failedAtMs !== undefined && this.now() - this.failedAtMs < retryAfterSec * 1000) {
      return new PublisherSaturatedError(retryAfterSec, 'the event broker did not acknowledge recent facts');
    }
    return undefined;
  }

  /** Resolves once the item's batch was acknowledged; rejects if it failed, at once if full or closed. */
  submit(item: T): Promise<void> {
    if (this.closed) return Promise.reject(new PublisherClosedError());
    if (this.pending >= this.options.maxPending) return Promise.reject(new PublisherSaturatedError(this.options.retryAfterSec));
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      if (this.inFlight > 0) return; // the batch in flight sends the next one when it is done
      if (this.waiting.length >= this.options.maxBatch) this.sendNext();
      else this.cancelTimer ??= this.schedule(() => this.sendNext());
    });
  }

  /** Sends everything waiting now; resolves when nothing is waiting or in flight. */
  async flush(): Promise<void> {
    while (this.pending > 0) {
      const idle = new Promise<void>((resolve) => this.idleWaiters.push(resolve));
      this.sendNext();
      await idle;
    }
  }

  /** Refuses new items, then flushes. */
  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
  }

  private schedule(fn: () => void): () => void {
    if (this.options.lingerMs <= 0) {
      const immediate = setImmediate(fn);
      return () => clearImmediate(immediate);
    }
    const timer = setTimeout(fn, this.options.lingerMs);
    return () => clearTimeout(timer);
  }

  private sendNext(): void {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    if (this.inFlight > 0 || this.waiting.length === 0) return;
    const batch = this.waiting.splice(0, this.options.maxBatch);
    this.inFlight = batch.length;
    let sent: Promise<void>;
    try {
      sent = this.options.send(batch.map((e) => e.item));
    } catch (error) {
      sent = Promise.reject(error);
    }
    sent.then(
      () => {
        this.failedAtMs = undefined;
        for (const entry of batch) entry.resolve();
      },
      (error: unknown) => {
        this.failedAtMs = this.now();
        for (const entry of batch) entry.reject(error);
      },
    ).finally(() => {
      this.inFlight = 0;
      // Whatever arrived meanwhile has waited for a whole round trip: it goes out now.
      if (this.waiting.length > 0) this.sendNext();
      else this.notifyIdle();
    });
  }

  private notifyIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const wake of waiters) wake();
  }
}
