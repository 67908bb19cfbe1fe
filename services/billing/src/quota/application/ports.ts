import type { Actor, TenantId } from '@enclave/eventing';
import type { QuotaEvent, QuotaState } from '../domain/quota-decider';
import type { MonthlyTokenQuota } from '../domain/quota-status';

/** The tenant's quota stream in billing's event store (which is also the outbox). */
export interface QuotaStream {
  load(tenant: TenantId): Promise<{ state: QuotaState; version: number }>;
  /** Throws ConcurrencyError when the stream moved past expectedVersion. */
  append(tenant: TenantId, expectedVersion: number, events: readonly QuotaEvent[], actor: Actor): Promise<{ version: number }>;
}

export interface ProjectedQuota {
  tenantId: string;
  monthlyTokenQuota: MonthlyTokenQuota;
  /** Version of the quota stream this row reflects. */
  version: number;
}

/** Read model `quotas`: the current quota per tenant. */
export interface QuotaReadModel {
  get(tenant: TenantId): Promise<ProjectedQuota | null>;
  /** Writes the quota as of `version`, unless the row already reflects that version or a later one. */
  project(tenant: TenantId, version: number, quota: MonthlyTokenQuota): Promise<void>;
  all(): AsyncIterable<ProjectedQuota>;
}

/** The hot copy of the limit the gateway reads (Redis). */
export interface LimitCache {
  /** Sets the tenant's limit, or removes it for an unlimited tenant. */
  setLimit(tenant: string, quota: MonthlyTokenQuota): Promise<void>;
}

export interface BillingLogger {
  warn(fields: Record<string, unknown>, message: string): void;
  info(fields: Record<string, unknown>, message: string): void;
}
