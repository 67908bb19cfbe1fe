import { NotFoundError, type Logger } from '@enclave/platform';
import { NoProviderKeyError, type CredentialCache } from '../../credentials/application/credential-cache';
import type { TenantSettingsCache, TenantSettingsView } from '../../tenant-settings/application/tenant-settings-cache';
import type { VerifiedKey, VerifiedKeyCache } from '../../virtual-keys/application/verified-key-cache';
import type { LastUsedRecorder } from '../../virtual-keys/application/last-used-recorder';
import { bearerToken, looksLikeVirtualKey } from '../../virtual-keys/domain/key-format';
import {
  creatorFrozen, creatorRestricted, invalidApiKey, keyTokenLimitReached, noProviderKey, rateLimited, tenantQuotaExhausted, unavailable, ApiError,
} from '../domain/api-errors';
import type { PrivacyRegistry } from '../../privacy/application/privacy-registry';
import { decideSelfAccess } from '../../privacy/domain/privacy-state';
import type { FactSink } from '../../metering/application/ports';
import type { RefusalReason } from '../../metering/domain/metering-fact';
import type { UsageOutcome } from '../../metering/domain/usage';
import { decideApiQuota, type ApiQuotaProbe } from '../domain/api-quota-decision';
import { rawUpstreamOf } from '../infrastructure/passthrough-provider';
import type { RawUpstream } from '../infrastructure/raw-upstream';

export interface ApiAccessDeps {
  keys: VerifiedKeyCache;
  hash: (key: string) => string;
  settings: TenantSettingsCache;
  credentials: CredentialCache;
  quota: { probe(tenantId: string, keyId: string, nowMs: number): Promise<ApiQuotaProbe> };
  /** Usage and refusals: durable (acknowledged) before the client is told the outcome. */
  facts: FactSink;
  keyUsage: { add(keyId: string, tokens: number, nowMs: number): void };
  lastUsed: Pick<LastUsedRecorder, 'used'>;
  /** In memory: a key whose creator is frozen or restricted is refused (no network call). */
  privacy?: Pick<PrivacyRegistry, 'get'>;
  logger: Logger;
}

export interface ApiUsage {
  tenantId: string;
  keyId: string;
  requestId: string;
  model: string;
  promptTokens: number;
  completionTokens: number;
  estimated: boolean;
  outcome: UsageOutcome;
}

/**
 * Every check of an API call that may refuse it, each from memory when warm except the quota
 * (one Redis script), and the bookkeeping after it: the usage fact is awaited (durable before
 * the client sees the end), the key counters and lastUsedAt are buffered. Refusals are recorded
 * as ChatRefused at most once per key, reason and minute, so a client hammering a limit cannot
 * flood the topic.
 */
export class ApiAccess {
  private readonly refusalsRecorded = new Map<string, number>();

  constructor(private readonly deps: ApiAccessDeps) {}

  /** The verified key of an Authorization header; ApiError 401 otherwise. */
  async authenticate(authorization: string | undefined): Promise<VerifiedKey> {
    const token = bearerToken(authorization);
    if (token === undefined || !looksLikeVirtualKey(token)) throw invalidApiKey();
    const hash = this.deps.hash(token);
    const cached = this.deps.keys.peek(hash);
    if (cached) {
      this.assertCreatorMayProcess(cached);
      return cached;
    }
    if (cached === null) throw invalidApiKey();
    let key: VerifiedKey | undefined;
    try {
      key = await this.deps.keys.resolve(hash);
    } catch (error) {
      this.deps.logger.warn({ err: error }, 'virtual key lookup failed');
      throw unavailable('The key cannot be checked right now; retry shortly.');
    }
    if (!key) throw invalidApiKey();
    this.assertCreatorMayProcess(key);
    return key;
  }

  /** The key's creator may not have their data processed (erasure pending or restriction): 403. */
  assertCreatorMayProcess(key: VerifiedKey): void {
    if (!this.deps.privacy) return;
    const refusal = decideSelfAccess(this.deps.privacy.get(key.tenantId, key.createdBy), 'api');
    if (refusal === 'account_frozen') throw creatorFrozen();
    if (refusal === 'processing_restricted') throw creatorRestricted();
  }

  async settingsFor(key: VerifiedKey): Promise<TenantSettingsView> {
    try {
      return await this.deps.settings.get(key.tenantId);
    } catch (error) {
      if (error instanceof NotFoundError) throw invalidApiKey(); // the tenant is gone, so is its key
      throw unavailable('Instance settings are unavailable right now; retry shortly.');
    }
  }

  /** FactsUnavailableError (503 + Retry-After) when usage could not be recorded right now. */
  assertCanRecord(): void {
    const busy = this.deps.facts.refusal();
    if (busy) throw busy;
  }

  /** Quota, key token limit and rate limit: ApiError 429 when refused. */
  async admit(key: VerifiedKey, nowMs: number): Promise<void> {
    let probe: ApiQuotaProbe;
    try {
      probe = await this.deps.quota.probe(key.tenantId, key.keyId, nowMs);
    } catch (error) {
      this.deps.logger.warn({ err: error }, 'api quota probe failed');
      throw unavailable('Usage limits cannot be checked right now; retry shortly.');
    }
    const decision = decideApiQuota(probe, key, nowMs);
    if (decision.allowed) return;
    await this.refused(key, decision.reason, nowMs);
    if (decision.reason === 'quota_exhausted') throw tenantQuotaExhausted(decision.retryAfterSec);
    if (decision.reason === 'key_token_limit_reached') throw keyTokenLimitReached(decision.retryAfterSec);
    throw rateLimited(key.rateLimitPerMinute, decision.retryAfterSec);
  }

  /** The tenant's provider endpoint, from the credential cache (one key-vault call per ttl). */
  async providerFor(key: VerifiedKey, nowMs: number): Promise<RawUpstream> {
    let upstream: RawUpstream | undefined;
    try {
      upstream = rawUpstreamOf(await this.deps.credentials.get(key.tenantId));
    } catch (error) {
      if (error instanceof NoProviderKeyError) {
        await this.refused(key, 'no_provider_key', nowMs);
        throw noProviderKey();
      }
      this.deps.logger.warn({ err: error, tenantId: key.tenantId }, 'provider credential unavailable');
      throw unavailable('The provider key cannot be read right now; retry shortly.');
    }
    if (!upstream) throw new ApiError(500, 'server_error', null, 'The gateway is not set up for raw relaying.');
    return upstream;
  }

  credentialRejected(key: VerifiedKey): void {
    this.deps.credentials.invalidate(key.tenantId);
  }

  /** After the answer: the key's token counter and lastUsedAt (buffered); resolves once the usage fact is durable. */
  async completed(key: VerifiedKey, usage: ApiUsage, nowMs: number): Promise<void> {
    this.deps.keyUsage.add(key.keyId, usage.promptTokens + usage.completionTokens, nowMs);
    this.deps.lastUsed.used(key.hash);
    const { tenantId, keyId, ...counts } = usage;
    await this.deps.facts.publish({ type: 'UsageRecorded', payer: { kind: 'key', tenantId, keyId }, ...counts });
  }

  private async refused(key: VerifiedKey, reason: RefusalReason, nowMs: number): Promise<void> {
    const slot = `${key.keyId}:${reason}`;
    const minute = Math.floor(nowMs / 60_000);
    if (this.refusalsRecorded.get(slot) === minute) return;
    this.refusalsRecorded.delete(slot);
    this.refusalsRecorded.set(slot, minute);
    if (this.refusalsRecorded.size > 10_000) {
      const oldest = this.refusalsRecorded.keys().next().value;
      if (oldest !== undefined) this.refusalsRecorded.delete(oldest);
    }
    try {
      await this.deps.facts.publish({ type: 'ChatRefused', payer: { kind: 'key', tenantId: key.tenantId, keyId: key.keyId }, reason });
    } catch (error) {
      this.refusalsRecorded.delete(slot); // not recorded: the next refusal tries again
      throw error;
    }
  }
}
