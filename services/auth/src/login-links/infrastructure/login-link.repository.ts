import type { Model } from 'mongoose';
import { TenantScopedRepository, tenantId as checkedTenantId } from '@enclave/eventing';
import { isDuplicateKey } from '../../shared/infrastructure/duplicate-key';
import { LoginLinkStore, type LoginLinkRecord } from '../application/login-link-store';
import type { LoginLinkClaimDoc, LoginLinkDoc } from './login-link.schema';

export class LoginLinkRepository extends TenantScopedRepository<LoginLinkDoc> implements LoginLinkStore {
  constructor(
    model: Model<LoginLinkDoc>,
    private readonly claims: Model<LoginLinkClaimDoc>,
  ) {
    super(model);
  }

  async init(): Promise<void> {
    await Promise.all([this.model.init(), this.claims.init()]);
    await this.model.createIndexes();
  }

  async save(link: Omit<LoginLinkRecord, 'usedAtMs'>): Promise<boolean> {
    try {
      await this.updateOne(
        checkedTenantId(link.tenantId),
        { _id: link.linkId, usedAt: null },
        {
          $set: { subjectId: link.subjectId, tokenHash: link.tokenHash, purpose: link.purpose, expiresAt: new Date(link.expiresAtMs) },
          $setOnInsert: { createdAt: new Date() },
        },
        { upsert: true },
      );
      return true;
    } catch (error) {
      // The filter missed because the link is used; the upsert then collides on _id.
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  // The two lookups below are deliberately not tenant-scoped: the bearer token is the
  // credential, and the row it hashes to says which tenant it belongs to.

  async findByTokenHash(tokenHash: string): Promise<LoginLinkRecord | null> {
    const doc = await this.model.findOne({ tokenHash }).lean<LoginLinkDoc>().exec();
    return doc ? toRecord(doc) : null;
  }

  async claim(tokenHash: string, nowMs: number): Promise<LoginLinkRecord | null> {
    const now = new Date(nowMs);
    const link = await this.model.findOne({ tokenHash }).lean<LoginLinkDoc>().exec();
    if (!link || link.usedAt || link.expiresAt <= now) return null;
    try {
      await this.claims.collection.insertOne({ _id: link._id, tenantId: link.tenantId, claimedAt: now } as never);
    } catch (error) {
      if (isDuplicateKey(error)) return null;
      throw error;
    }
    // The claim row holds the link; this conditional update records it on the link itself
    // (and is the atomic step on MongoDB proper).
    const used = await this.model
      .findOneAndUpdate({ _id: link._id, usedAt: null, expiresAt: { $gt: now } }, { $set: { usedAt: now } }, { new: true })
      .lean<LoginLinkDoc>()
      .exec();
    return used ? toRecord(used) : null;
  }
}

function toRecord(doc: LoginLinkDoc): LoginLinkRecord {
  return {
    linkId: doc._id,
    tenantId: doc.tenantId,
    subjectId: doc.subjectId,
    tokenHash: doc.tokenHash,
    purpose: doc.purpose,
    expiresAtMs: doc.expiresAt.getTime(),
    usedAtMs: doc.usedAt ? doc.usedAt.getTime() : null,
  };
}
