import { NotFoundError } from '@enclave/platform';
import { zero } from '../domain/crypto/sealed-box';
import type { Provider } from '../domain/provider-key/providers';
import { StaleRotation } from '../domain/secret/secret-errors';
import type { SecretState } from '../domain/secret/secret.state';
import { withAppErrors } from './domain-errors';
import type { Actor, Clock, EventPublisher, SecretRef, SecretStreams } from './ports';
import { runSecretCommand } from './run-secret-command';
import type { SecretVault } from './secret-vault';

export interface LifecycleDeps {
  vault: SecretVault;
  streams: SecretStreams;
  publisher: EventPublisher;
  clock: Clock;
  /** ROTATION_GRACE_MS: how long a previous version stays usable after a rotation. */
  rotationGraceMs: number;
}

export interface NewSecretVersion {
  /** Zeroed by the lifecycle once sealed. */
  plaintext: Buffer;
  lastFour: string;
  fingerprint: string;
}

/**
 * The writes every kind shares. The ciphertext is always written before its event (an event
 * never names a version that is missing); data keys are destroyed before the event that says
 * so (a failed append leaves the secret unreadable, and a retry records it).
 */
export class SecretLifecycle {
  constructor(private readonly deps: LifecycleDeps) {}

  create(ref: SecretRef, meta: { provider: Provider | null; label: string }, secret: NewSecretVersion, actor: Actor): Promise<SecretState> {
    return withAppErrors(async () => {
      await this.sealAt(ref, 1, secret.plaintext);
      const { state } = await runSecretCommand(this.deps, ref, {
        type: 'StoreSecret', ...ref, ...meta, lastFour: secret.lastFour, fingerprint: secret.fingerprint, now: this.deps.clock(),
      }, actor, { newStream: true });
      return mustExist(state);
    });
  }

  /** A live secret of the ref's kind (from the read model), or NotFoundError. */
  async live(ref: SecretRef): Promise<SecretState> {
    const state = await this.deps.streams.current(ref);
    if (!state || state.kind !== ref.kind || state.deletedAt !== null) {
      throw new NotFoundError(ref.kind === 'provider-key' ? 'provider key not found' : 'secret not found');
    }
    return state;
  }

  rotate(ref: SecretRef, current: SecretState, secret: NewSecretVersion, actor: Actor): Promise<SecretState> {
    return withAppErrors(async () => {
      const version = await this.sealAt(ref, current.currentVersion + 1, secret.plaintext);
      try {
        const { state } = await runSecretCommand(this.deps, ref, {
          type: 'RotateSecret', ...ref, version, lastFour: secret.lastFour, fingerprint: secret.fingerprint,
          graceMs: this.deps.rotationGraceMs, now: this.deps.clock(),
        }, actor);
        return mustExist(state);
      } catch (error) {
        // A concurrent rotation made a newer version current: ours will never be referenced.
        if (error instanceof StaleRotation) await this.deps.vault.shred(ref, [version]);
        throw error;
      }
    });
  }

  /** Crypto-shreds every version (and any orphaned attempt) of the secret, then records it. */
  delete(ref: SecretRef, actor: Actor): Promise<void> {
    return withAppErrors(async () => {
      await this.live(ref);
      await this.deps.vault.shred(ref, 'all');
      await runSecretCommand(this.deps, ref, { type: 'DeleteSecret', ...ref, now: this.deps.clock() }, actor);
    });
  }

  private async sealAt(ref: SecretRef, version: number, plaintext: Buffer): Promise<number> {
    try {
      return await this.deps.vault.seal(ref, version, plaintext);
    } finally {
      zero(plaintext);
    }
  }
}

function mustExist(state: SecretState | null): SecretState {
  if (!state) throw new Error('secret stream is empty right after a write');
  return state;
}
