import type { MaskedProviderKey } from '../domain/provider-key/masking';
import type { ProviderKeyState } from '../domain/provider-key/provider-key.decider';

/** The admin-visible form of a key; built field by field so nothing else can slip through. */
export function toMasked(state: ProviderKeyState, isDefault: boolean): MaskedProviderKey {
  return {
    keyId: state.keyId,
    keyVersion: state.currentVersion,
    provider: state.provider,
    label: state.label,
    lastFour: state.lastFour,
    fingerprint: state.fingerprint,
    isDefault,
    createdAt: state.createdAt,
    lastUsedAt: state.lastUsedAt,
  };
}
