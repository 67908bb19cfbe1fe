import { Schema, type Connection, type Model } from 'mongoose';
import type { LoginLinkPurpose } from '../domain/login-link';
import { modelOf } from '../../shared/infrastructure/model-of';

/**
 * `login_links`: one row per link. Only the token's SHA-256 is kept. Expired rows are harmless
 * (claim() refuses them); FerretDB has no TTL indexes, so pruning is a job of its own.
 */
export interface LoginLinkDoc {
  /** Link id: a UUIDv7, or for an invitation the id of the MemberAdded event. */
  _id: string;
  tenantId: string;
  subjectId: string;
  tokenHash: string;
  purpose: LoginLinkPurpose;
  expiresAt: Date;
  usedAt: Date | null;
  createdAt: Date;
}

const loginLinkSchema = new Schema<LoginLinkDoc>(
  {
    _id: { type: String, required: true },
    tenantId: { type: String, required: true },
    subjectId: { type: String, required: true },
    tokenHash: { type: String, required: true },
    purpose: { type: String, required: true },
    expiresAt: { type: Date, required: true },
    usedAt: { type: Date, default: null },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false, autoIndex: false, autoCreate: true },
);
// findByTokenHash and the single-use claim findOneAndUpdate({tokenHash, usedAt: null, ...}).
loginLinkSchema.index({ tokenHash: 1 }, { unique: true });

export function loginLinkModel(connection: Connection): Model<LoginLinkDoc> {
  return modelOf(connection, 'AuthLoginLink', loginLinkSchema, 'login_links');
}

/**
 * `login_link_claims`: one row per used link, keyed by link id. Inserting it is the single-use
 * gate: a unique-key insert is atomic on every MongoDB-wire store, whereas FerretDB v1 runs
 * findOneAndUpdate as a read followed by a write, so two concurrent conditional updates can
 * both succeed there.
 */
export interface LoginLinkClaimDoc {
  _id: string;
  tenantId: string;
  claimedAt: Date;
}

const loginLinkClaimSchema = new Schema<LoginLinkClaimDoc>(
  {
    _id: { type: String, required: true },
    tenantId: { type: String, required: true },
    claimedAt: { type: Date, required: true },
  },
  { versionKey: false, autoIndex: false, autoCreate: true },
);

export function loginLinkClaimModel(connection: Connection): Model<LoginLinkClaimDoc> {
  return modelOf(connection, 'AuthLoginLinkClaim', loginLinkClaimSchema, 'login_link_claims');
}
