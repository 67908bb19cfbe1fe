import type { TenantId } from '@enclave/eventing';
import { NotFoundError } from '@enclave/platform';
import { zero } from '../domain/crypto/sealed-box';
import { decodeCredential, type ProviderCredential } from '../domain/provider-key/provider-credential';
import { decryptAudited, type DecryptDeps } from './decrypt-audited';
import type { SecretViews } from './ports';

export interface GetProviderCredentialInput {
  tenantId: TenantId;
  /** Empty: the tenant's default key. */
  keyId: string;
  /** 0: the current version; an older one only during its grace period. */
  keyVersion?: number;
  /** Verified service identity of the caller. */
  caller: string;
}

export interface ProviderCredentialResult extends ProviderCredential {
  keyId: string;
  keyVersion: number;
}

/** chat-gateway's read of a provider key: audited (ProviderKeyDecrypted) before it is returned. */
export class GetProviderCredential {
  constructor(private readonly deps: DecryptDeps & { views: SecretViews }) {}

  async execute(input: GetProviderCredentialInput): Promise<ProviderCredentialResult> {
    const latest = input.keyId ? undefined : await this.deps.views.latest(input.tenantId, 'provider-key');
    const keyId = input.keyId || latest?.secretId;
    if (!keyId) throw new NotFoundError('the tenant has no provider key');
    const ref = { tenantId: input.tenantId, kind: 'provider-key' as const, secretId: keyId };
    const { version, plaintext } = await decryptAudited(this.deps, ref, input.keyVersion ?? 0, input.caller, latest ?? undefined);
    try {
      return { keyId, keyVersion: version, ...decodeCredential(plaintext) };
    } finally {
      zero(plaintext);
    }
  }
}
