import { Schema, type Connection, type Model } from 'mongoose';
import { modelOf } from '../../shared/infrastructure/model-of';

/** `auth_sessions`: one row per sign-in, _id = session id (a refresh is an _id read). */
export interface SessionDoc {
  _id: string;
  tenantId: string;
  subjectId: string;
  createdAt: Date;
  refreshedAt: Date;
  expiresAt: Date;
  notBeforeMs: number;
  revokedAt: Date | null;
  refreshHash: string;
  previousRefreshHash: string | null;
}

const sessionSchema = new Schema<SessionDoc>(
  {
    _id: { type: String, required: true },
    tenantId: { type: String, required: true },
    subjectId: { type: String, required: true },
    createdAt: { type: Date, required: true },
    refreshedAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
    notBeforeMs: { type: Number, default: 0 },
    revokedAt: { type: Date, default: null },
    refreshHash: { type: String, required: true },
    previousRefreshHash: { type: String, default: null },
  },
  { versionKey: false, autoIndex: false, autoCreate: true },
);
// The session list, "sign out everywhere" and membership changes: (tenantId, subjectId).
sessionSchema.index({ tenantId: 1, subjectId: 1 });

export function sessionModel(connection: Connection): Model<SessionDoc> {
  return modelOf(connection, 'AuthSession', sessionSchema, 'auth_sessions');
}

/**
 * `auth_refresh_claims`: one row per used refresh token, _id = its hash. The insert is the
 * single-use gate (FerretDB v1 runs a conditional update as a read then a write, so two
 * concurrent rotations could both pass one).
 */
export interface RefreshClaimDoc {
  _id: string;
  tenantId: string;
  claimedAt: Date;
}

const refreshClaimSchema = new Schema<RefreshClaimDoc>(
  {
    _id: { type: String, required: true },
    tenantId: { type: String, required: true },
    claimedAt: { type: Date, required: true },
  },
  { versionKey: false, autoIndex: false, autoCreate: true },
);

export function refreshClaimModel(connection: Connection): Model<RefreshClaimDoc> {
  return modelOf(connection, 'AuthRefreshClaim', refreshClaimSchema, 'auth_refresh_claims');
}
