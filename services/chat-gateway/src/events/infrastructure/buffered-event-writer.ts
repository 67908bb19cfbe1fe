import type { NewEvent } from '@enclave/eventing';
import { uuidv7, type Logger } from '@enclave/platform';

/** The part of EventStore the writer needs. */
export interface EventAppender {
  append(streamId: string, expectedVersion: number, events: readonly NewEvent[]): Promise<unknown>;
}

export interface BufferedEventWriterOptions {
  store: EventAppender;
  logger: Logger;
  /** Flush at most this long after the first buffered event (default 50 ms). */
  flushIntervalMs?: number;
  /** Flush at once when this many events are waiting (default 100). */
  maxBatch?: number;
  /** Beyond this many unwritten events (store down for long), the oldest are dropped and logged. */
  maxBuffered?: number;
  /** Called after each successful append (e.g. to nudge the outbox relay). */
  onAppended?: () => void;
  newStreamId?: () => string;
}

/**
 * Micro-batches the events of the chat hot path (UsageRecorded, ChatRefused) into few store
 * appends, so no chat waits for a database write of its usage: record() only pushes to memory.
 * Every flush writes one append per tenant to a fresh stream "chat-facts-<uuidv7>" (these facts
 * have no aggregate to conflict on; one stream per batch keeps appends at expected version 0,
 * i.e. no read before the write). A failed append puts its events back and retries later.
 * close() flushes what is left (call it on shutdown, after the HTTP server stopped).
 */
export class BufferedEventWriter {
  private buffer: NewEvent[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private closed = false;
  private readonly flushIntervalMs: number;
  private readonly maxBatch: number;
  private readonly maxBuffered: number;
  private readonly newStreamId: () => string;

  constructor(private readonly options: BufferedEventWriterOptions) {
    this.flushIntervalMs = options.flushIntervalMs ?? 50;
    this.maxBatch = options.maxBatch ?? 100;
    this.maxBuffered = options.maxBuffered ?? 100_000;
    this.newStreamId = options.newStreamId ?? (() => `chat-facts-${uuidv7()}`);
  }

  /** Events waiting to be written. */
  get pending(): number {
    return this.buffer.length;
  }

  record(event: NewEvent): void {
    this.buffer.push(event);
    this.trim();
    if (this.closed) {
      // A stream that ended during shutdown: write it right away, there is no timer any more.
      this.flush().catch((error) => this.options.logger.error({ err: error }, 'event flush failed'));
    } else {
      this.flushSoon(this.buffer.length >= this.maxBatch ? 0 : this.flushIntervalMs);
    }
  }

  /** Writes everything buffered now; resolves when the buffer was written or put back. */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.buffer.length === 0) return;
    this.clearTimer();
    const batch = this.buffer.splice(0, this.buffer.length);
    this.flushing = this.write(batch).finally(() => (this.flushing = undefined));
    await this.flushing;
  }

  /** Stops the timer and writes what is left, retrying a few times if the store fails. */
  async close(attempts = 3): Promise<void> {
    this.closed = true;
    this.clearTimer();
    for (let i = 0; i < attempts && (this.buffer.length > 0 || this.flushing); i += 1) await this.flush();
    if (this.buffer.length > 0) {
      this.options.logger.error({ lost: this.buffer.length }, 'events could not be written before shutdown');
    }
  }

  private async write(batch: NewEvent[]): Promise<void> {
    const byTenant = new Map<string, NewEvent[]>();
    for (const event of batch) {
      const list = byTenant.get(event.tenantId) ?? [];
      list.push(event);
      byTenant.set(event.tenantId, list);
    }
    const failed: NewEvent[] = [];
    await Promise.all(
      [...byTenant.values()].map(async (events) => {
        try {
          await this.options.store.append(this.newStreamId(), 0, events);
          this.options.onAppended?.();
        } catch (error) {
          failed.push(...events);
          this.options.logger.warn({ err: error, events: events.length }, 'event append failed; will retry');
        }
      }),
    );
    if (failed.length > 0) {
      this.buffer.unshift(...failed);
      this.trim();
      if (!this.closed) this.flushSoon(Math.max(this.flushIntervalMs, 500));
    } else if (this.buffer.length > 0 && !this.closed) {
      this.flushSoon(this.buffer.length >= this.maxBatch ? 0 : this.flushIntervalMs);
    }
  }

  private flushSoon(delayMs: number): void {
    if (this.timer && delayMs > 0) return;
    this.clearTimer();
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush().catch((error) => this.options.logger.error({ err: error }, 'event flush failed'));
    }, delayMs);
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private trim(): void {
    const excess = this.buffer.length - this.maxBuffered;
    if (excess > 0) {
      this.buffer.splice(0, excess);
      this.options.logger.error({ dropped: excess }, 'event buffer full: oldest unwritten events dropped');
    }
  }
}
