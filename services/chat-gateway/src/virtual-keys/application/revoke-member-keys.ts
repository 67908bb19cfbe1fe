import { tenantId } from '@enclave/eventing';
import type { KeyActor } from '../domain/virtual-key';
import type { VirtualKeyRepository } from '../infrastructure/virtual-key.repository';
import type { RevokeVirtualKey } from './revoke-virtual-key';

/**
 * Revokes every working key one person created (their authority ended: see key-authority.ts).
 * Each revocation is RevokeVirtualKey's: VirtualKeyRevoked on the gateway topic (audit records
 * it; every replica drops the key), then the read model. Idempotent, so a redelivered tenant
 * event changes nothing.
 */
export class RevokeMemberKeys {
  constructor(
    private readonly keys: VirtualKeyRepository,
    private readonly revoke: RevokeVirtualKey,
  ) {}

  async execute(tenant: string, creatorSubjectId: string, actor: KeyActor): Promise<number> {
    const created = await this.keys.createdBy(tenantId(tenant), creatorSubjectId);
    const working = created.filter((doc) => !doc.revokedAt);
    for (const doc of working) await this.revoke.execute(tenant, actor, doc.keyId);
    return working.length;
  }
}
