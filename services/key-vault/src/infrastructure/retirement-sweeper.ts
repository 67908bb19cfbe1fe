import type { Logger } from '@enclave/platform';
import type { RetireDueVersions } from '../application/retire-due-versions';

/**
 * Runs RetireDueVersions every RETIREMENT_SWEEP_INTERVAL_MS while the process runs (started and
 * stopped by the runtime). One sweep at a time; stop() waits for a running one.
 */
export class RetirementSweeper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;

  constructor(
    private readonly retire: RetireDueVersions,
    private readonly intervalMs: number,
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

  /** One sweep now (also what the timer runs). */
  sweep(): Promise<void> {
    this.running ??= this.retire
      .execute()
      .then(
        ({ retired, failed }) => {
          if (retired > 0 || failed > 0) this.logger.info({ retired, failed }, 'secret versions retired');
        },
        (error: unknown) => this.logger.warn({ err: error }, 'retirement sweep failed; will retry'),
      )
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.sweep().then(() => this.schedule()), this.intervalMs);
    this.timer.unref();
  }
}
