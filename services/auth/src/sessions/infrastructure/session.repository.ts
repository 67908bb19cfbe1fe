import type { Model } from 'mongoose';
import { TenantScopedRepository, tenantId as checkedTenantId } from '@enclave/eventing';
import { isDuplicateKey } from '../../shared/infrastructure/duplicate-key';
import { SessionStore } from '../application/session-store';
import type { SessionRecord } from '../domain/session-record';
import type { RefreshClaimDoc, SessionDoc } from './session.schema';

export class SessionRepository extends TenantScopedRepository<SessionDoc> implements SessionStore {
  constructor(
    model: Model<SessionDoc>,
    private readonly claims: Model<RefreshClaimDoc>,
  ) {
    super(model);
  }

  async init(): Promise<void> {
    await Promise.all([this.model.init(), this.claims.init()]);
    await this.model.createIndexes();
  }

  async create(record: SessionRecord): Promise<void> {
    await this.insertOne(checkedTenantId(record.tenantId), {
      _id: record.sessionId,
      subjectId: record.subjectId,
      createdAt: new Date(record.createdAtMs),
      refreshedAt: new Date(record.refreshedAtMs),
      expiresAt: new Date(record.expiresAtMs),
      notBeforeMs: record.notBeforeMs,
      revokedAt: record.revokedAtMs === null ? null : new Date(record.revokedAtMs),
      refreshHash: record.refreshHash,
      previousRefreshHash: record.previousRefreshHash,
    });
  }

  // Not tenant-scoped: the refresh token is the credential, and the row says its tenant.
  async findSession(sessionId: string): Promise<SessionRecord | null> {
    const doc = await this.model.findOne({ _id: sessionId }).lean<SessionDoc>().exec();
    return doc ? toRecord(doc) : null;
  }

  async claimRefresh(tenantId: string, refreshHash: string, atMs: number): Promise<boolean> {
    try {
      await this.claims.collection.insertOne({ _id: refreshHash, tenantId: checkedTenantId(tenantId), claimedAt: new Date(atMs) } as never);
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  async rotate(tenantId: string, sessionId: string, hashes: { current: string; previous: string }, atMs: number): Promise<void> {
    const $set = { refreshHash: hashes.current, previousRefreshHash: hashes.previous, refreshedAt: new Date(atMs) };
    await this.updateOne(checkedTenantId(tenantId), { _id: sessionId }, { $set });
  }

  async revoke(tenantId: string, sessionIds: readonly string[], atMs: number): Promise<void> {
    if (sessionIds.length === 0) return;
    await this.updateMany(checkedTenantId(tenantId), { _id: { $in: [...sessionIds] }, revokedAt: null }, { $set: { revokedAt: new Date(atMs) } });
  }

  async activeOf(tenantId: string, subjectId: string, nowMs: number): Promise<SessionRecord[]> {
    const docs = await this.find(checkedTenantId(tenantId), { subjectId, revokedAt: null, expiresAt: { $gt: new Date(nowMs) } }, { sort: { createdAt: -1 } });
    return docs.map(toRecord);
  }

  /** Erasure: the person's sign-ins in this tenant (their refresh claims hold no subject). */
  async deleteOf(tenantId: string, subjectId: string): Promise<number> {
    return this.deleteMany(checkedTenantId(tenantId), { subjectId });
  }

  /** Retention: sign-ins that ended before the cutoff, and refresh claims made before it. */
  async deleteEndedBefore(tenantId: string, cutoffMs: number): Promise<number> {
    const tenant = checkedTenantId(tenantId);
    const cutoff = new Date(cutoffMs);
    const sessions = await this.deleteMany(tenant, { expiresAt: { $lt: cutoff } });
    const claims = (await this.claims.deleteMany({ tenantId: tenant, claimedAt: { $lt: cutoff } }).exec()).deletedCount;
    return sessions + claims;
  }

  async raiseNotBefore(tenantId: string, subjectId: string, notBeforeMs: number): Promise<void> {
    await this.updateMany(checkedTenantId(tenantId), { subjectId, notBeforeMs: { $lt: notBeforeMs } }, { $set: { notBeforeMs } });
  }
}

function toRecord(doc: SessionDoc): SessionRecord {
  return {
    sessionId: doc._id,
    tenantId: doc.tenantId,
    subjectId: doc.subjectId,
    createdAtMs: doc.createdAt.getTime(),
    refreshedAtMs: doc.refreshedAt.getTime(),
    expiresAtMs: doc.expiresAt.getTime(),
    notBeforeMs: doc.notBeforeMs ?? 0,
    revokedAtMs: doc.revokedAt ? doc.revokedAt.getTime() : null,
    refreshHash: doc.refreshHash,
    previousRefreshHash: doc.previousRefreshHash ?? null,
  };
}
