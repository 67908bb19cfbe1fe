// Load the tenant's quota stream, decide, append; on a concurrent append, decide again on the
// fresh state. After a QuotaSet the read model and the Redis limit are updated right away
// (best effort: billing's own consumer of enclave.billing.events.v1 repeats it reliably).
import { ConcurrencyError, type Actor, type TenantId } from '@enclave/eventing';
import { decide, evolve, type QuotaCommand, type QuotaEvent } from '../domain/quota-decider';
import type { BillingLogger, LimitCache, QuotaReadModel, QuotaStream } from './ports';

const MAX_ATTEMPTS = 5;

export class RunQuotaCommand {
  constructor(
    private readonly stream: QuotaStream,
    private readonly readModel: QuotaReadModel,
    private readonly limits: LimitCache,
    private readonly logger: BillingLogger,
  ) {}

  /** The events appended (none when the command changed nothing). */
  async execute(tenant: TenantId, command: QuotaCommand, actor: Actor): Promise<QuotaEvent[]> {
    for (let attempt = 1; ; attempt++) {
      const { state, version } = await this.stream.load(tenant);
      const events = decide(command, state);
      if (events.length === 0) return [];
      try {
        const appended = await this.stream.append(tenant, version, events, actor);
        const after = events.reduce(evolve, state);
        if (events.some((e) => e.type === 'QuotaSet')) await this.project(tenant, appended.version, after.monthlyTokenQuota);
        return events;
      } catch (error) {
        if (!(error instanceof ConcurrencyError) || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }

  private async project(tenant: TenantId, version: number, quota: number | null): Promise<void> {
    try {
      await this.readModel.project(tenant, version, quota);
      await this.limits.setLimit(tenant, quota);
    } catch (error) {
      this.logger.warn({ err: (error as Error).name, tenantId: tenant }, 'quota projection deferred to the billing event consumer');
    }
  }
}
