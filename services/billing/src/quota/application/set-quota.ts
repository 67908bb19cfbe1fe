import type { TenantId } from '@enclave/eventing';
import { eventsV1 } from '@enclave/proto';
import type { MonthlyTokenQuota } from '../domain/quota-status';
import type { RunQuotaCommand } from './run-quota-command';

/** The platform operator is not a tenant member; the trail names the role, not a person. */
export const OPERATOR_ACTOR: eventsV1.Actor = { kind: eventsV1.ActorKind.ACTOR_KIND_SYSTEM, id: 'platform-operator', role: 'operator' };

/** PUT /v1/tenants/:tenantId/quota by the platform operator. */
export class SetQuota {
  constructor(private readonly run: RunQuotaCommand) {}

  async execute(tenant: TenantId, monthlyTokenQuota: MonthlyTokenQuota): Promise<void> {
    await this.run.execute(tenant, { type: 'SetQuota', monthlyTokenQuota }, OPERATOR_ACTOR);
  }
}
