import { Schema, type Connection, type Model } from 'mongoose';
import type { TenantRole } from '../../domain';

/**
 * Read model `tenant_members`: one document per person ever added to a tenant. A removal keeps
 * the document with active=false (a tombstone carrying the version), so a late, older
 * MemberAdded cannot bring a removed member back.
 */
export interface TenantMemberDoc {
  tenantId: string;
  subjectId: string;
  role: TenantRole;
  addedAt: Date;
  active: boolean;
  /** Stream version of the last member event applied to this document. */
  version: number;
}

export const tenantMemberSchema = new Schema<TenantMemberDoc>(
  {
    tenantId: { type: String, required: true },
    subjectId: { type: String, required: true },
    role: { type: String, required: true },
    addedAt: { type: Date, required: true },
    active: { type: Boolean, required: true },
    version: { type: Number, required: true },
  },
  { versionKey: false, autoIndex: false, autoCreate: true },
);

// Member list find({tenantId, active: true}).sort({addedAt: 1}) and the version-guarded upsert
// per (tenantId, subjectId); unique so an older event's upsert fails instead of duplicating.
tenantMemberSchema.index({ tenantId: 1, subjectId: 1 }, { unique: true });

export function tenantMemberModel(connection: Connection): Model<TenantMemberDoc> {
  return (connection.models.TenantMember as Model<TenantMemberDoc> | undefined) ??
    connection.model<TenantMemberDoc>('TenantMember', tenantMemberSchema, 'tenant_members');
}
