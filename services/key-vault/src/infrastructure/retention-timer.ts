import type { Logger } from '@enclave/platform';
import type { PruneProcessedMarkers } from '../application/prune-processed-markers';
import type { Clock } from '../application/ports';

/**
 * Runs the retention job every RETENTION_INTERVAL_MS while the process runs (started and stopped
 * by the runtime), with the injected clock. One run at a time; stop() waits for a running one.
 */
export class RetentionTimer {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;

  constructor(
    private readonly job: PruneProcessedMarkers,
    private readonly intervalMs: number,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.stopped = false;
    this.schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** One run now (also what the timer runs). */
  run(): Promise<void> {
    this.running ??= this.job
      .runOnce(this.clock())
      .then(
        ({ deleted, cutoff }) => {
          if (deleted > 0) this.logger.info({ deleted, cutoff }, 'processed-event markers pruned');
        },
        (error: unknown) => this.logger.warn({ err: error }, 'retention run failed; will retry'),
      )
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.run().then(() => this.schedule()), this.intervalMs);
    this.timer.unref();
  }
}
