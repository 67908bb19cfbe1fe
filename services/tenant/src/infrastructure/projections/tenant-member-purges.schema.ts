import { Schema, type Connection, type Model } from 'mongoose';

/**
 * `tenant_member_purges`: per erased person, the tenant stream version their erasure covers.
 * A member event at or below that version (a replay by the projection-repair consumer) must not
 * write the person's row back. Holds only the pseudonymous subject id, as the event store does.
 */
export interface TenantMemberPurgeDoc {
  tenantId: string;
  subjectId: string;
  throughVersion: number;
}

export const tenantMemberPurgeSchema = new Schema<TenantMemberPurgeDoc>(
  {
    tenantId: { type: String, required: true },
    subjectId: { type: String, required: true },
    throughVersion: { type: Number, required: true },
  },
  { versionKey: false, autoIndex: false, autoCreate: true },
);

// findOne({tenantId, subjectId}) after each member event; one document per person and tenant.
tenantMemberPurgeSchema.index({ tenantId: 1, subjectId: 1 }, { unique: true });

export function tenantMemberPurgeModel(connection: Connection): Model<TenantMemberPurgeDoc> {
  return (connection.models.TenantMemberPurge as Model<TenantMemberPurgeDoc> | undefined) ??
    connection.model<TenantMemberPurgeDoc>('TenantMemberPurge', tenantMemberPurgeSchema, 'tenant_member_purges');
}
