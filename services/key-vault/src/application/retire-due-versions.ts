import type { Logger } from '@enclave/platform';
import { dueVersions } from '../domain/secret/secret.state';
import type { Actor, Clock, EventPublisher, SecretStreams, SecretViews } from './ports';
import { runSecretCommand } from './run-secret-command';
import type { SecretVault } from './secret-vault';

export interface RetireDeps {
  views: SecretViews;
  streams: SecretStreams;
  vault: SecretVault;
  publisher: EventPublisher;
  clock: Clock;
  logger: Logger;
}

const SYSTEM: Actor = { kind: 'system', name: 'retirement' };

/**
 * Ends grace periods: every previous version whose ROTATION_GRACE_MS has passed gets its data key
 * destroyed and a …VersionRetired event. (Decryption already refuses such a version the moment
 * its grace ends; this makes it permanent and audited.) Safe to run on every replica at once:
 * shredding is idempotent and the decider emits nothing for a version already retired.
 */
export class RetireDueVersions {
  constructor(private readonly deps: RetireDeps) {}

  async execute(batchSize = 100): Promise<{ retired: number; failed: number }> {
    const now = this.deps.clock();
    let retired = 0;
    let failed = 0;
    for (const ref of await this.deps.views.dueForRetirement(now, batchSize)) {
      try {
        const state = await this.deps.streams.current(ref);
        const versions = state ? dueVersions(state, now) : [];
        if (versions.length === 0) continue;
        await this.deps.vault.shred(ref, versions);
        await runSecretCommand(this.deps, ref, { type: 'RetireDueVersions', ...ref, now }, SYSTEM);
        retired += versions.length;
      } catch (error) {
        failed += 1;
        this.deps.logger.warn({ err: error, tenantId: ref.tenantId, secretId: ref.secretId }, 'retiring a secret version failed; will retry');
      }
    }
    return { retired, failed };
  }
}
