import type { Model } from 'mongoose';
import { TenantScopedRepository, tenantId as checkedTenantId } from '@enclave/eventing';
import { AccountStore, type AccountChanges, type AccountContact, type NewAccount, type StoredAccount } from '../application/account-store';
import { isDuplicateKey } from '../../shared/infrastructure/duplicate-key';
import type { AccountDoc } from './account.schema';

export class AccountRepository extends TenantScopedRepository<AccountDoc> implements AccountStore {
  constructor(model: Model<AccountDoc>) {
    super(model);
  }

  async init(): Promise<void> {
    await this.model.init();
    await this.model.createIndexes();
  }

  async findOrCreate(account: NewAccount): Promise<{ subjectId: string; created: boolean }> {
    const tenant = checkedTenantId(account.tenantId);
    try {
      await this.insertOne(tenant, {
        subjectId: account.subjectId,
        emailHash: account.emailHash,
        email: account.email,
        displayName: account.displayName,
        createdAt: new Date(),
      });
      return { subjectId: account.subjectId, created: true };
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
    const existing = await this.findSubjectId(account.tenantId, account.emailHash);
    if (!existing) throw new Error('account insert conflicted but no account was found');
    return { subjectId: existing, created: false };
  }

  async findSubjectId(tenantId: string, emailHash: string): Promise<string | null> {
    const doc = await this.findOne(checkedTenantId(tenantId), { emailHash });
    return doc?.subjectId ?? null;
  }

  async findContact(tenantId: string, subjectId: string): Promise<AccountContact | null> {
    const doc = await this.findOne(checkedTenantId(tenantId), { subjectId });
    return doc ? { subjectId: doc.subjectId, email: doc.email, displayName: doc.displayName } : null;
  }

  async findAccount(tenantId: string, subjectId: string): Promise<StoredAccount | null> {
    const doc = await this.findOne(checkedTenantId(tenantId), { subjectId });
    return doc ? { subjectId: doc.subjectId, emailHash: doc.emailHash, email: doc.email, displayName: doc.displayName, createdAt: doc.createdAt } : null;
  }

  async rectify(tenantId: string, subjectId: string, changes: AccountChanges): Promise<'updated' | 'missing' | 'email_taken'> {
    const set = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
    try {
      const { matched } = await this.updateOne(checkedTenantId(tenantId), { subjectId }, { $set: set });
      return matched > 0 ? 'updated' : 'missing';
    } catch (error) {
      // (tenantId, emailHash) is unique: another account of the tenant has this email.
      if (isDuplicateKey(error)) return 'email_taken';
      throw error;
    }
  }

  async deleteAccount(tenantId: string, subjectId: string): Promise<number> {
    return this.deleteMany(checkedTenantId(tenantId), { subjectId });
  }
}
