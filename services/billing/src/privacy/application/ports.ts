import type { Actor, TenantId } from '@enclave/eventing';
import type { PrivacyEvent } from '../domain/privacy-events';

/** One day of one member's usage of one model. */
export interface MemberUsageDay {
  day: string;
  model: string;
  promptTokens: number;
  completionTokens: number;
  messages: number;
}

/** Per-member usage detail (usage_daily); tenant month totals are not part of it. */
export interface UsageDetailStore {
  ofMember(tenant: TenantId, subjectId: string): Promise<MemberUsageDay[]>;
  deleteMember(tenant: TenantId, subjectId: string): Promise<number>;
  tenantsWithDetail(): Promise<TenantId[]>;
  /** Deletes the tenant's rows of days before `day` (YYYY-MM-DD). */
  deleteBefore(tenant: TenantId, day: string): Promise<number>;
}

/** The tenants' retention periods, as learnt from tenant's SettingsChanged. */
export interface TenantRetentionStore {
  /** Null when the tenant never set one (the default applies). */
  usageDetailDays(tenant: TenantId): Promise<number | null>;
  /** Records the period of `version` of the tenant stream unless a later one is stored. */
  put(tenant: TenantId, version: number, usageDetailDays: number | null): Promise<void>;
}

/** Privacy events in billing's event store, each on a stream of its own. */
export interface PrivacyEventLog {
  /** Appends as version 1 of `streamId`; false when the stream exists (appended before). */
  appendOnce(tenant: TenantId, streamId: string, subjectId: string, event: PrivacyEvent, actor: Actor): Promise<boolean>;
}
