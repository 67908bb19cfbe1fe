import { Schema, type Connection, type Model } from 'mongoose';
import { modelOf } from '../../shared/infrastructure/model-of';

/**
 * `email_changes`: pending email changes. The new address is sealed for the person; the link's
 * token is kept only as its SHA-256. A row is removed once used (the change is then on the
 * account and in AccountRectified), by retention once long expired, and by the person's erasure.
 */
export interface EmailChangeDoc {
  _id: string;
  tenantId: string;
  subjectId: string;
  tokenHash: string;
  sealedEmail: string;
  requestedBy: { subjectId: string; role: string };
  createdAt: Date;
  expiresAt: Date;
}

const emailChangeSchema = new Schema<EmailChangeDoc>(
  {
    _id: { type: String, required: true },
    tenantId: { type: String, required: true },
    subjectId: { type: String, required: true },
    tokenHash: { type: String, required: true },
    sealedEmail: { type: String, required: true },
    requestedBy: { subjectId: { type: String, required: true }, role: { type: String, default: '' } },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
  },
  { versionKey: false, autoIndex: false, autoCreate: true },
);
// claim(): find({tokenHash}) when the link is used.
emailChangeSchema.index({ tokenHash: 1 }, { unique: true });

export function emailChangeModel(connection: Connection): Model<EmailChangeDoc> {
  return modelOf(connection, 'AuthEmailChange', emailChangeSchema, 'email_changes');
}

/** `email_change_claims`: one row per used change; inserting it is the single-use gate (unique _id). */
export interface EmailChangeClaimDoc {
  _id: string;
  tenantId: string;
  claimedAt: Date;
}

const emailChangeClaimSchema = new Schema<EmailChangeClaimDoc>(
  {
    _id: { type: String, required: true },
    tenantId: { type: String, required: true },
    claimedAt: { type: Date, required: true },
  },
  { versionKey: false, autoIndex: false, autoCreate: true },
);

export function emailChangeClaimModel(connection: Connection): Model<EmailChangeClaimDoc> {
  return modelOf(connection, 'AuthEmailChangeClaim', emailChangeClaimSchema, 'email_change_claims');
}
