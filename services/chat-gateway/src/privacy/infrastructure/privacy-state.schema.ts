import { Schema, type Connection, type Model } from 'mongoose';

/**
 * Read model `privacy_states`: one row per person with a privacy fact (pseudonymous ids and
 * flags only), written by the audit-topic handler, loaded by every replica at start.
 */
export interface PrivacyStateDoc {
  _id: string;
  tenantId: string;
  subjectId: string;
  frozen: boolean;
  frozenChangedAtMs: number;
  restricted: boolean;
  restrictedChangedAtMs: number;
}

const schema = new Schema<PrivacyStateDoc>(
  {
    _id: { type: String, required: true },
    tenantId: { type: String, required: true },
    subjectId: { type: String, required: true },
    frozen: { type: Boolean, required: true },
    frozenChangedAtMs: { type: Number, required: true },
    restricted: { type: Boolean, required: true },
    restrictedChangedAtMs: { type: Number, required: true },
  },
  { collection: 'privacy_states', versionKey: false, autoIndex: false },
);

export function privacyStateModel(connection: Connection): Model<PrivacyStateDoc> {
  return (connection.models.PrivacyState as Model<PrivacyStateDoc> | undefined) ?? connection.model('PrivacyState', schema);
}
