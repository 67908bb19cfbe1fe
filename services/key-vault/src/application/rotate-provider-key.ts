import type { TenantId } from '@enclave/eventing';
import { NotFoundError } from '@enclave/platform';
import { zero } from '../domain/crypto/sealed-box';
import { fingerprint, lastFour } from '../domain/provider-key/masking';
import { decodeCredential, encodeCredential, type ProviderCredential } from '../domain/provider-key/provider-credential';
import { withAppErrors } from './domain-errors';
import { toMaskedProviderKey, type MaskedProviderKey } from './masked-view';
import type { Actor, SecretViews } from './ports';
import type { SecretLifecycle } from './secret-lifecycle';
import type { SecretVault } from './secret-vault';

export interface RotateProviderKeyDeps {
  lifecycle: SecretLifecycle;
  vault: SecretVault;
  views: SecretViews;
  fingerprintKey: Buffer;
}

/**
 * A new version of the key with the same provider and endpoint (read from the sealed current
 * version inside key-vault; nothing leaves it). The previous version stays usable for the grace
 * period, then retires; chat-gateway drops its cached copy on ProviderKeyRotated.
 */
export class RotateProviderKey {
  constructor(private readonly deps: RotateProviderKeyDeps) {}

  async execute(input: { tenantId: TenantId; keyId: string; apiKey: string }, actor: Actor): Promise<MaskedProviderKey> {
    const ref = { tenantId: input.tenantId, kind: 'provider-key' as const, secretId: input.keyId };
    const current = await this.deps.lifecycle.live(ref);
    const sealed = await withAppErrors(() => this.deps.vault.open(ref, current.currentVersion));
    if (!sealed) throw new NotFoundError('provider key not found');
    let previous: ProviderCredential;
    try {
      previous = decodeCredential(sealed);
    } finally {
      zero(sealed);
    }
    const state = await this.deps.lifecycle.rotate(
      ref,
      current,
      {
        plaintext: encodeCredential({ provider: previous.provider, apiKey: input.apiKey, baseUrl: previous.baseUrl }),
        lastFour: lastFour(input.apiKey),
        fingerprint: fingerprint(this.deps.fingerprintKey, input.tenantId, input.apiKey),
      },
      actor,
    );
    const latest = await this.deps.views.latest(input.tenantId, 'provider-key');
    return toMaskedProviderKey(state, latest?.secretId === state.secretId);
  }
}
