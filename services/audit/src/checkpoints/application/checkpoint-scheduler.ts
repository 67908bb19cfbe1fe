// Every CHECKPOINT_INTERVAL_MS, a checkpoint for each tenant whose tree grew. One round at a
// time (a slow round delays the next, never overlaps it); stop() waits for the round in flight.
// A round looks at the tenants this process appended to since the last one; the first round and
// every FULL_SWEEP_EVERY-th look at every tenant with a log (another replica's tenants, entries
// appended before a restart). Several replicas may each run it: a checkpoint of a size already
// stored is kept once.
import { eventsV1 } from '@enclave/proto';
import type { Actor } from '@enclave/eventing';
import type { Logger } from '@enclave/platform';
import type { AuditLogStore } from '../../log/application/ports';
import type { MakeCheckpoint } from './make-checkpoint';

export const FULL_SWEEP_EVERY = 10;

export const SCHEDULER_ACTOR: Actor = { kind: eventsV1.ActorKind.ACTOR_KIND_SERVICE, id: 'audit', role: '' };

export class CheckpointScheduler {
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<void> | undefined;
  private running = false;
  private stopping = false;
  private rounds = 0;

  constructor(
    private readonly log: AuditLogStore,
    private readonly make: MakeCheckpoint,
    private readonly intervalMs: number,
    private readonly logger: Logger,
    /** Tenants appended to since the last call (AppendToLog.takeTouched). */
    private readonly touched: () => Set<string>,
  ) {}

  start(): void {
    if (this.running || this.intervalMs <= 0) return;
    this.running = true;
    this.stopping = false;
    this.schedule();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.round;
  }

  /** One round over every tenant; returns how many checkpoints were signed. */
  async runOnce(): Promise<number> {
    let signed = 0;
    const touched = this.touched();
    const tenants = this.rounds++ % FULL_SWEEP_EVERY === 0 ? await this.log.tenants() : [...touched];
    for (const tenant of tenants) {
      if (this.stopping) break;
      try {
        if ((await this.make.execute(tenant, 'schedule', SCHEDULER_ACTOR)).created) signed += 1;
      } catch (err) {
        this.logger.error({ err, tenantId: tenant }, 'scheduled audit checkpoint failed');
      }
    }
    return signed;
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      this.round = this.runOnce()
        .then((signed) => (signed > 0 ? this.logger.info({ signed }, 'audit checkpoints signed') : undefined))
        .catch((err: unknown) => this.logger.error({ err }, 'audit checkpoint round failed'))
        .finally(() => {
          this.round = undefined;
          if (this.running) this.schedule();
        });
    }, this.intervalMs);
    this.timer.unref();
  }
}
