import { Schema, type Connection, type Model } from 'mongoose';

/** Read model `tenant_settings`: one document per tenant, the settings at `version`. */
export interface TenantSettingsDoc {
  tenantId: string;
  /** Stream version of the SettingsChanged event these settings come from. */
  version: number;
  instanceName: string;
  systemInstruction: string;
  messageLogging: boolean;
  privacyPolicyUrl: string;
  defaultModel: string;
  allowedModels: string[];
  /** Absent until an admin sets retention periods (the defaults apply). */
  retention?: { conversationDays: number; securityLogDays: number; usageDetailDays: number };
  messageLoggingNoticeVersion?: string;
  updatedAt: Date;
}

export const tenantSettingsSchema = new Schema<TenantSettingsDoc>(
  {
    tenantId: { type: String, required: true },
    version: { type: Number, required: true },
    instanceName: { type: String, required: true },
    systemInstruction: { type: String, default: '' },
    messageLogging: { type: Boolean, required: true },
    privacyPolicyUrl: { type: String, default: '' },
    defaultModel: { type: String, required: true },
    allowedModels: { type: [String], default: [] },
    retention: {
      type: new Schema({ conversationDays: Number, securityLogDays: Number, usageDetailDays: Number }, { _id: false }),
      required: false,
    },
    messageLoggingNoticeVersion: { type: String, default: '' },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false, autoIndex: false, autoCreate: true },
);

// GET /v1/tenants/:tenantId and gRPC GetTenantSettings: findOne({tenantId}). Unique, so the
// version-guarded upsert of an older event cannot create a second document.
tenantSettingsSchema.index({ tenantId: 1 }, { unique: true });

export function tenantSettingsModel(connection: Connection): Model<TenantSettingsDoc> {
  return (connection.models.TenantSettings as Model<TenantSettingsDoc> | undefined) ??
    connection.model<TenantSettingsDoc>('TenantSettings', tenantSettingsSchema, 'tenant_settings');
}
