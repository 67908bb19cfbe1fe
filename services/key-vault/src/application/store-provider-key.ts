import type { TenantId } from '@enclave/eventing';
import { ValidationError } from '@enclave/platform';
import { zero } from '../domain/crypto/sealed-box';
import { fingerprint, lastFour, type MaskedProviderKey } from '../domain/provider-key/masking';
import { encodeCredential } from '../domain/provider-key/provider-credential';
import { requiresBaseUrl, type Provider } from '../domain/provider-key/providers';
import type { BaseUrlGuard } from './base-url-guard';
import { toMasked } from './masked-view';
import type { Actor, Clock, EventPublisher, ProviderKeyStreams } from './ports';
import { runProviderKeyCommand } from './run-provider-key-command';
import type { SecretVault } from './secret-vault';

export interface StoreProviderKeyInput {
  tenantId: TenantId;
  provider: Provider;
  label: string;
  apiKey: string;
  baseUrl?: string;
}

export interface StoreProviderKeyDeps {
  vault: SecretVault;
  streams: ProviderKeyStreams;
  publisher: EventPublisher;
  baseUrlGuard: BaseUrlGuard;
  fingerprintKey: Buffer;
  clock: Clock;
  newId: () => string;
}

/**
 * Seals the key (with the endpoint it may be sent to) under the tenant's data key, then records
 * ProviderKeyStored with the masked form only. The newest stored key is the tenant's default.
 */
export class StoreProviderKey {
  constructor(private readonly deps: StoreProviderKeyDeps) {}

  async execute(input: StoreProviderKeyInput, actor: Actor): Promise<MaskedProviderKey> {
    if (requiresBaseUrl(input.provider) && !input.baseUrl) {
      throw new ValidationError(`baseUrl is required for provider ${input.provider}`);
    }
    const baseUrl = input.baseUrl ? await this.deps.baseUrlGuard.check(input.baseUrl) : '';
    const keyId = this.deps.newId();
    const plaintext = encodeCredential({ provider: input.provider, apiKey: input.apiKey, baseUrl });
    try {
      // The secret is written before its event: an event never names a secret that is missing.
      await this.deps.vault.seal(input.tenantId, keyId, 1, plaintext);
    } finally {
      zero(plaintext);
    }
    const { state } = await runProviderKeyCommand(
      this.deps,
      input.tenantId,
      {
        type: 'StoreProviderKey',
        keyId,
        tenantId: input.tenantId,
        provider: input.provider,
        label: input.label,
        lastFour: lastFour(input.apiKey),
        fingerprint: fingerprint(this.deps.fingerprintKey, input.apiKey),
        now: this.deps.clock(),
      },
      actor,
    );
    if (!state) throw new Error('provider key stream is empty right after it was stored');
    return toMasked(state, true);
  }
}
