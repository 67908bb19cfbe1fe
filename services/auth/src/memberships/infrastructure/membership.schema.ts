import { Schema, type Connection, type Model } from 'mongoose';
import type { Role } from '../../shared/roles';
import { modelOf } from '../../shared/infrastructure/model-of';

/**
 * `memberships`: who may sign in to a tenant. A removal keeps the row with active=false and
 * its version, so a redelivered older MemberAdded cannot bring the member back.
 */
export interface MembershipDoc {
  tenantId: string;
  subjectId: string;
  role: Role;
  active: boolean;
  /** Version in the tenant's stream of the last event applied to this row. */
  version: number;
  updatedAt: Date;
}

const membershipSchema = new Schema<MembershipDoc>(
  {
    tenantId: { type: String, required: true },
    subjectId: { type: String, required: true },
    role: { type: String, required: true },
    active: { type: Boolean, required: true },
    version: { type: Number, required: true },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false, autoIndex: false, autoCreate: true },
);
// find(tenantId, subjectId) at login and the version-guarded upsert; unique so a stale upsert
// fails on the index instead of adding a second row.
membershipSchema.index({ tenantId: 1, subjectId: 1 }, { unique: true });

export function membershipModel(connection: Connection): Model<MembershipDoc> {
  return modelOf(connection, 'AuthMembership', membershipSchema, 'memberships');
}

/** `tenants`: instance name and owner of each tenant, for the wording and Reply-To of mail. */
export interface TenantProfileDoc {
  tenantId: string;
  instanceName: string;
  ownerSubjectId: string;
  /** From SettingsChanged (retention.securityLogDays); absent until set. */
  securityLogDays?: number;
  version: number;
  updatedAt: Date;
}

const tenantProfileSchema = new Schema<TenantProfileDoc>(
  {
    tenantId: { type: String, required: true },
    instanceName: { type: String, default: '' },
    ownerSubjectId: { type: String, default: '' },
    securityLogDays: { type: Number, required: false },
    version: { type: Number, required: true },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false, autoIndex: false, autoCreate: true },
);
// find(tenantId) when composing mail, and the version-guarded upsert.
tenantProfileSchema.index({ tenantId: 1 }, { unique: true });

export function tenantProfileModel(connection: Connection): Model<TenantProfileDoc> {
  return modelOf(connection, 'AuthTenantProfile', tenantProfileSchema, 'tenants');
}
