import type { MemberSnapshot } from '../../login-links/domain/login-link';
import type { ProjectionUpdate } from '../domain/tenant-facts';

/**
 * Where in the tenant's event stream (one stream per tenant) a projected fact came from. Read
 * models keep the version they reflect and ignore anything not newer, so redelivered or
 * replayed events change nothing.
 */
export interface SourcePosition {
  version: number;
}

export type MembershipUpdate = Extract<ProjectionUpdate, { target: 'membership' }>;
export type TenantUpdate = Extract<ProjectionUpdate, { target: 'tenant' }>;

/** `memberships`: who may log in to a tenant, and with which role. */
export abstract class MembershipStore {
  abstract findMember(tenantId: string, subjectId: string): Promise<MemberSnapshot | null>;
  abstract apply(tenantId: string, update: MembershipUpdate, at: SourcePosition): Promise<void>;
}

/** What mail needs to know about a tenant: its name and who answers replies. */
export interface TenantProfile {
  instanceName: string;
  ownerSubjectId: string;
  /** retention.securityLogDays from the tenant's settings; undefined = the default. */
  securityLogDays?: number;
}

/** `tenants`: one row per tenant, from InstanceCreated and SettingsChanged. */
export abstract class TenantDirectory {
  abstract findProfile(tenantId: string): Promise<TenantProfile | null>;
  abstract apply(tenantId: string, update: TenantUpdate, at: SourcePosition): Promise<void>;
}
