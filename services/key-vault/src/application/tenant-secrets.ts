import type { TenantId } from '@enclave/eventing';
import { fingerprint } from '../domain/provider-key/masking';
import type { TenantSecretKind } from '../domain/secret/secret-kind';
import { toMaskedTenantSecret, type MaskedTenantSecret } from './masked-view';
import type { Actor, SecretViews } from './ports';
import type { SecretLifecycle } from './secret-lifecycle';

export interface TenantSecretsDeps {
  lifecycle: SecretLifecycle;
  views: SecretViews;
  fingerprintKey: Buffer;
  newId: () => string;
}

/**
 * SMTP passwords and OIDC client secrets: stored, listed masked (label and keyed fingerprint;
 * no characters of a password are shown), rotated and deleted like provider keys.
 */
export class TenantSecrets {
  constructor(private readonly deps: TenantSecretsDeps) {}

  async store(input: { tenantId: TenantId; kind: TenantSecretKind; label: string; value: string }, actor: Actor): Promise<MaskedTenantSecret> {
    const ref = { tenantId: input.tenantId, kind: input.kind, secretId: this.deps.newId() };
    const state = await this.deps.lifecycle.create(ref, { provider: null, label: input.label }, this.version(input.tenantId, input.value), actor);
    return toMaskedTenantSecret(state);
  }

  async list(tenant: TenantId, kind: TenantSecretKind): Promise<MaskedTenantSecret[]> {
    return (await this.deps.views.list(tenant, kind)).map(toMaskedTenantSecret);
  }

  async rotate(input: { tenantId: TenantId; kind: TenantSecretKind; secretId: string; value: string }, actor: Actor): Promise<MaskedTenantSecret> {
    const ref = { tenantId: input.tenantId, kind: input.kind, secretId: input.secretId };
    const current = await this.deps.lifecycle.live(ref);
    return toMaskedTenantSecret(await this.deps.lifecycle.rotate(ref, current, this.version(input.tenantId, input.value), actor));
  }

  private version(tenantId: TenantId, value: string) {
    return { plaintext: Buffer.from(value, 'utf8'), lastFour: '', fingerprint: fingerprint(this.deps.fingerprintKey, tenantId, value) };
  }
}
