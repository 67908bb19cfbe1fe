import { Schema, type Connection, type Model } from 'mongoose';
import { modelOf } from '../../shared/infrastructure/model-of';

/**
 * `accounts`: the platform's only copy of people's email addresses and names, sealed with the
 * person's subject key (`pf1.…`, see @enclave/privacy); rows from before sealing hold plain values.
 */
export interface AccountDoc {
  tenantId: string;
  subjectId: string;
  /** HMAC-SHA256(EMAIL_HASH_KEY, lower-cased email), hex. */
  emailHash: string;
  /** Lower-cased, then sealed (field 'email'); opened only to address mail or answer the person. */
  email: string;
  /** Sealed (field 'displayName'). */
  displayName: string;
  createdAt: Date;
}

const accountSchema = new Schema<AccountDoc>(
  {
    tenantId: { type: String, required: true },
    subjectId: { type: String, required: true },
    emailHash: { type: String, required: true },
    email: { type: String, required: true },
    displayName: { type: String, default: '' },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false, autoIndex: false, autoCreate: true },
);
// RegisterAccount's insert-or-find and the login-link lookup by email: one account per email
// per tenant, so concurrent registrations of one email end with one subject id.
accountSchema.index({ tenantId: 1, emailHash: 1 }, { unique: true });
// findContact(tenantId, subjectId) when mailing a member or the owner.
accountSchema.index({ tenantId: 1, subjectId: 1 }, { unique: true });

export function accountModel(connection: Connection): Model<AccountDoc> {
  return modelOf(connection, 'AuthAccount', accountSchema, 'accounts');
}
