import type { TenantId } from '@enclave/eventing';
import { NotFoundError } from '@enclave/platform';
import { zero } from '../domain/crypto/sealed-box';
import { decodeCredential, type ProviderCredential } from '../domain/provider-key/provider-credential';
import { decide, ProviderKeyNotFound } from '../domain/provider-key/provider-key.decider';
import type { Clock, EventPublisher, ProviderKeyStreams, ProviderKeyViews } from './ports';
import type { SecretVault } from './secret-vault';

export interface GetProviderCredentialInput {
  tenantId: TenantId;
  /** Empty: the tenant's default key. */
  keyId: string;
  /** Verified service identity of the caller. */
  caller: string;
}

export interface ProviderCredentialResult extends ProviderCredential {
  keyId: string;
  keyVersion: number;
}

export interface GetProviderCredentialDeps {
  vault: SecretVault;
  streams: ProviderKeyStreams;
  views: ProviderKeyViews;
  publisher: EventPublisher;
  clock: Clock;
}

/**
 * Decrypts a provider key for an internal caller. The decryption is recorded
 * (ProviderKeyDecrypted) BEFORE the plaintext is returned: if it cannot be recorded, the caller
 * gets an error instead of the key, so no decryption escapes the audit trail.
 */
export class GetProviderCredential {
  constructor(private readonly deps: GetProviderCredentialDeps) {}

  async execute(input: GetProviderCredentialInput): Promise<ProviderCredentialResult> {
    const keyId = input.keyId || (await this.deps.views.latest(input.tenantId))?.keyId;
    if (!keyId) throw new NotFoundError('the tenant has no provider key');
    const { state } = await this.deps.streams.load(input.tenantId, keyId);
    if (!state) throw new NotFoundError('provider key not found');
    const keyVersion = state.currentVersion;

    let events;
    try {
      events = decide(
        { type: 'RecordDecryption', keyId, tenantId: input.tenantId, keyVersion, caller: input.caller, now: this.deps.clock() },
        state,
      );
    } catch (error) {
      if (error instanceof ProviderKeyNotFound) throw new NotFoundError('provider key not found');
      throw error;
    }

    const plaintext = await this.deps.vault.open(input.tenantId, keyId, keyVersion);
    if (!plaintext) throw new NotFoundError('provider key not found');
    let credential: ProviderCredential;
    try {
      credential = decodeCredential(plaintext);
    } finally {
      zero(plaintext);
    }

    // Only a decryption that succeeded is recorded; if recording fails, the plaintext is not returned.
    await this.deps.streams.appendDecryption(input.tenantId, keyId, events, { kind: 'service', name: input.caller });
    this.deps.publisher.nudge();
    return { keyId, keyVersion, ...credential };
  }
}
