import type { TenantId } from '@enclave/eventing';
import { NotFoundError, type Logger } from '@enclave/platform';
import { zero } from '../domain/crypto/sealed-box';
import type { ConnectionVerdict } from '../domain/provider-key/connection-test';
import { decodeCredential, type ProviderCredential } from '../domain/provider-key/provider-credential';
import { withAppErrors } from './domain-errors';
import type { Actor, Clock, EventPublisher, SecretStreams } from './ports';
import { runSecretCommand } from './run-secret-command';
import type { SecretLifecycle } from './secret-lifecycle';
import type { SecretVault } from './secret-vault';

/** Lists the provider's models with a credential; never throws for the provider's failures. */
export interface ProviderProbe {
  listModels(credential: ProviderCredential): Promise<ConnectionVerdict & { reason?: string }>;
}

export interface TestProviderKeyDeps {
  lifecycle: SecretLifecycle;
  vault: SecretVault;
  streams: SecretStreams;
  publisher: EventPublisher;
  probe: ProviderProbe;
  clock: Clock;
  logger: Logger;
}

export interface ProviderKeyTestResult {
  keyId: string;
  keyVersion: number;
  ok: boolean;
  outcome: ConnectionVerdict['outcome'];
  /** The provider's HTTP status when it answered. */
  status: number | null;
  models: string[];
  modelCount: number;
  /** Why the endpoint was blocked (SSRF guard at connect time). */
  reason?: string;
}

/**
 * "Test connection": decrypts the current version inside key-vault, lists the provider's models
 * with it (base URL re-checked and pinned at connect time, short timeout) and records
 * ProviderKeyTested. The answer and the logs carry the outcome and model ids, never the key.
 */
export class TestProviderKey {
  constructor(private readonly deps: TestProviderKeyDeps) {}

  async execute(input: { tenantId: TenantId; keyId: string }, actor: Actor): Promise<ProviderKeyTestResult> {
    const ref = { tenantId: input.tenantId, kind: 'provider-key' as const, secretId: input.keyId };
    const current = await this.deps.lifecycle.live(ref);
    const version = current.currentVersion;
    const sealed = await withAppErrors(() => this.deps.vault.open(ref, version));
    if (!sealed) throw new NotFoundError('provider key not found');
    let verdict: ConnectionVerdict & { reason?: string };
    try {
      verdict = await this.deps.probe.listModels(decodeCredential(sealed));
    } finally {
      zero(sealed);
    }
    await withAppErrors(() =>
      runSecretCommand(this.deps, ref, {
        type: 'RecordTest', ...ref, version, outcome: verdict.outcome, modelCount: verdict.modelCount, now: this.deps.clock(),
      }, actor),
    );
    this.deps.logger.info({ tenantId: input.tenantId, keyId: input.keyId, keyVersion: version, outcome: verdict.outcome, status: verdict.status }, 'provider key tested');
    return {
      keyId: input.keyId,
      keyVersion: version,
      ok: verdict.outcome === 'ok',
      outcome: verdict.outcome,
      status: verdict.status,
      models: verdict.models,
      modelCount: verdict.modelCount,
      ...(verdict.reason !== undefined && { reason: verdict.reason }),
    };
  }
}
