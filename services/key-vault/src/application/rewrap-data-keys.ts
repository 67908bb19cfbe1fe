import type { TenantId } from '@enclave/eventing';
import type { Logger } from '@enclave/platform';
import { dataKeyAad, subjectKeyAad } from '../domain/crypto/aad';
import { DecryptionFailed, zero } from '../domain/crypto/sealed-box';
import type { DataKeysRewrapped, RewrapTrigger } from '../domain/kek/data-keys-rewrapped';
import type { DataKeyStore, EventPublisher, KekProvider, RewrapJournal, WrappedDataKey } from './ports';

export interface RewrapOptions {
  trigger: RewrapTrigger;
  /** Data keys read per batch (default 100). */
  batchSize?: number;
  /** Stop after this many data keys (a bounded run; run again to continue). */
  maxKeys?: number;
}

export interface RewrapReport {
  kekProvider: string;
  activeKekVersion: number;
  /** Data keys looked at in this run. */
  scanned: number;
  rewrapped: number;
  /** Changed meanwhile (rewrapped by a concurrent run, or shredded): left alone. */
  skipped: number;
  /** Could not be unwrapped (their KEK version is not configured, or the data was altered). */
  failed: number;
  /** Rewrapped per former KEK version. */
  fromVersions: Record<string, number>;
  /** Live data keys still under another KEK version after this run. */
  remaining: number;
  /** remaining === 0: older KEK versions can be removed from the configuration. */
  complete: boolean;
}

export interface KekStatus {
  kekProvider: string;
  activeKekVersion: number;
  configuredVersions: number[];
  liveDataKeysByKekVersion: Record<string, number>;
  /** Configured, not active, and no live data key under it: safe to drop from the config. */
  removableVersions: number[];
  /** Live data keys are wrapped under these but they are not configured: those cannot be opened. */
  unavailableVersions: number[];
}

/**
 * Moves every live data key to the active KEK version: unwrap with the version it records, wrap
 * with the active one, compare-and-set. Decryption keeps working throughout (both versions are
 * configured). Idempotent (keys already under the active version are never touched) and
 * resumable (an interrupted or bounded run leaves the rest under their old version; the next
 * run picks them up). Each tenant's batch is recorded as DataKeysRewrapped.
 */
export class RewrapDataKeys {
  constructor(
    private readonly deps: {
      kek: KekProvider;
      /** Every place data keys are kept: sealed secrets and subject keys. */
      stores: readonly DataKeyStore[];
      journal: RewrapJournal;
      publisher: EventPublisher;
      logger: Logger;
    },
  ) {}

  /** Live data keys per KEK version; configured versions holding none (and not active) can be removed. */
  async status(): Promise<KekStatus> {
    const byVersion: Record<string, number> = {};
    for (const store of this.deps.stores) {
      for (const [version, count] of Object.entries(await store.liveDataKeysByKekVersion())) byVersion[version] = (byVersion[version] ?? 0) + count;
    }
    const { kek } = this.deps;
    return {
      kekProvider: kek.name,
      activeKekVersion: kek.activeVersion,
      configuredVersions: [...kek.versions],
      liveDataKeysByKekVersion: Object.fromEntries(Object.entries(byVersion).sort(([a], [b]) => Number(a) - Number(b))),
      removableVersions: kek.versions.filter((v) => v !== kek.activeVersion && !byVersion[String(v)]),
      unavailableVersions: Object.keys(byVersion).map(Number).filter((v) => !kek.versions.includes(v)),
    };
  }

  async execute(options: RewrapOptions): Promise<RewrapReport> {
    const { kek } = this.deps;
    const active = kek.activeVersion;
    const report: RewrapReport = {
      kekProvider: kek.name, activeKekVersion: active, scanned: 0, rewrapped: 0, skipped: 0, failed: 0, fromVersions: {}, remaining: 0, complete: false,
    };
    for (const store of this.deps.stores) await this.rewrapStore(store, options, report);
    for (const store of this.deps.stores) report.remaining += await store.countWrappedUnderOtherVersions(active);
    report.complete = report.remaining === 0;
    this.deps.logger.info({ ...report }, 'data keys re-wrapped');
    return report;
  }

  private async rewrapStore(store: DataKeyStore, options: RewrapOptions, report: RewrapReport): Promise<void> {
    const active = this.deps.kek.activeVersion;
    const batchSize = Math.max(1, options.batchSize ?? 100);
    let afterId: string | null = null;
    for (;;) {
      const room = options.maxKeys === undefined ? batchSize : Math.min(batchSize, options.maxKeys - report.scanned);
      if (room <= 0) break;
      const batch = await store.wrappedUnderOtherVersions(active, afterId, room);
      if (batch.length === 0) break;
      afterId = batch[batch.length - 1]!.id;
      const done = new Map<TenantId, DataKeysRewrapped['dataKeys']>();
      for (const key of batch) {
        report.scanned += 1;
        const outcome = await this.rewrapOne(store, key);
        report[outcome] += 1;
        if (outcome !== 'rewrapped') continue;
        report.fromVersions[String(key.kekVersion)] = (report.fromVersions[String(key.kekVersion)] ?? 0) + 1;
        const list = done.get(key.tenantId) ?? [];
        list.push({ secretId: key.secretId, kind: key.kind, version: key.version, fromKekVersion: key.kekVersion });
        done.set(key.tenantId, list);
      }
      for (const [tenant, dataKeys] of done) {
        await this.deps.journal.record(tenant, { type: 'DataKeysRewrapped', tenantId: tenant, toKekVersion: active, dataKeys, trigger: options.trigger }, {
          kind: 'system', name: options.trigger,
        });
      }
      if (done.size > 0) this.deps.publisher.nudge();
    }
  }

  private async rewrapOne(store: DataKeyStore, key: WrappedDataKey): Promise<'rewrapped' | 'skipped' | 'failed'> {
    const aad = aadOf(key);
    let dek: Buffer;
    try {
      dek = await this.deps.kek.unwrap(key.wrappedDek, key.kekVersion, aad);
    } catch (error) {
      if (!(error instanceof DecryptionFailed)) throw error;
      this.deps.logger.warn({ tenantId: key.tenantId, secretId: key.secretId, version: key.version, kekVersion: key.kekVersion }, 'data key cannot be unwrapped for re-wrap');
      return 'failed';
    }
    try {
      const { kekVersion, wrapped } = await this.deps.kek.wrap(dek, aad);
      return (await store.replaceWrapping(key, kekVersion, wrapped)) ? 'rewrapped' : 'skipped';
    } finally {
      zero(dek);
    }
  }
}

/** The binding a data key was wrapped under: a secret version's, or a person's subject key's. */
function aadOf(key: WrappedDataKey): Buffer {
  if (key.kind === 'subject-key') return subjectKeyAad(key.tenantId, key.subjectId ?? '', key.secretId);
  return dataKeyAad(key.tenantId, key.kind, key.secretId, key.version);
}
