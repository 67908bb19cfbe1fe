import { NotFoundError } from '@enclave/platform';
import { decide } from '../domain/secret/secret.decider';
import type { SecretState } from '../domain/secret/secret.state';
import { withAppErrors } from './domain-errors';
import type { Clock, EventPublisher, SecretRef, SecretStreams } from './ports';
import type { SecretVault } from './secret-vault';

export interface DecryptDeps {
  vault: SecretVault;
  streams: SecretStreams;
  publisher: EventPublisher;
  clock: Clock;
}

/**
 * Decrypts one version for an internal caller. The decryption is recorded BEFORE the plaintext
 * is returned: if it cannot be recorded the caller gets an error instead, so no decryption
 * escapes the audit trail; one that failed is not recorded. Refuses unknown, deleted, other
 * kinds' and retired versions (SecretVersionRetiredError passes through).
 */
/** "Last used" in the read model moves at most once a minute per secret (a write saved per decryption). */
export const LAST_USED_PRECISION_MS = 60_000;

export async function decryptAudited(
  deps: DecryptDeps,
  ref: SecretRef,
  requestedVersion: number,
  caller: string,
  /** The secret's read model when the caller already has it (the tenant's default key). */
  known?: SecretState,
): Promise<{ version: number; plaintext: Buffer }> {
  return withAppErrors(async () => {
    const state = known ?? (await deps.streams.current(ref));
    const now = deps.clock();
    const events = decide({ type: 'RecordDecryption', ...ref, version: requestedVersion, caller, now }, state);
    const version = events[0]!.type === 'SecretDecrypted' ? events[0]!.version : 0;
    const plaintext = await deps.vault.open(ref, version);
    if (!plaintext) throw new NotFoundError(ref.kind === 'provider-key' ? 'provider key not found' : 'secret not found');
    try {
      const touchLastUsed = !state?.lastUsedAt || now.getTime() - state.lastUsedAt.getTime() >= LAST_USED_PRECISION_MS;
      await deps.streams.appendDecryption(ref, events, { kind: 'service', name: caller }, { touchLastUsed });
    } catch (error) {
      plaintext.fill(0);
      throw error;
    }
    deps.publisher.nudge();
    return { version, plaintext };
  });
}
