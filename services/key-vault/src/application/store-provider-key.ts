import type { TenantId } from '@enclave/eventing';
import { ValidationError } from '@enclave/platform';
import { fingerprint, lastFour } from '../domain/provider-key/masking';
import { encodeCredential } from '../domain/provider-key/provider-credential';
import { requiresBaseUrl, type Provider } from '../domain/provider-key/providers';
import type { BaseUrlGuard } from './base-url-guard';
import { toMaskedProviderKey, type MaskedProviderKey } from './masked-view';
import type { Actor } from './ports';
import type { SecretLifecycle } from './secret-lifecycle';

export interface StoreProviderKeyInput {
  tenantId: TenantId;
  provider: Provider;
  label: string;
  apiKey: string;
  baseUrl?: string;
}

export interface StoreProviderKeyDeps {
  lifecycle: SecretLifecycle;
  baseUrlGuard: BaseUrlGuard;
  fingerprintKey: Buffer;
  newId: () => string;
}

/**
 * Seals the key together with the endpoint it may be sent to (a changed URL no longer opens),
 * then records ProviderKeyStored with the masked form only. The newest key is the default.
 */
export class StoreProviderKey {
  constructor(private readonly deps: StoreProviderKeyDeps) {}

  async execute(input: StoreProviderKeyInput, actor: Actor): Promise<MaskedProviderKey> {
    if (requiresBaseUrl(input.provider) && !input.baseUrl) {
      throw new ValidationError(`baseUrl is required for provider ${input.provider}`);
    }
    const baseUrl = input.baseUrl ? await this.deps.baseUrlGuard.check(input.baseUrl) : '';
    const ref = { tenantId: input.tenantId, kind: 'provider-key' as const, secretId: this.deps.newId() };
    const state = await this.deps.lifecycle.create(
      ref,
      { provider: input.provider, label: input.label },
      {
        plaintext: encodeCredential({ provider: input.provider, apiKey: input.apiKey, baseUrl }),
        lastFour: lastFour(input.apiKey),
        fingerprint: fingerprint(this.deps.fingerprintKey, input.tenantId, input.apiKey),
      },
      actor,
    );
    return toMaskedProviderKey(state, true);
  }
}
