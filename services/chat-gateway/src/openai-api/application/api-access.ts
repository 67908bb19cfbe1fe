import { NotFoundError, UnavailableError, type Logger } from '@enclave/platform';
import { NoProviderKeyError, type ProviderCredentials } from '../../credentials/application/ports';
import type { TenantSettingsReader, TenantSettingsView } from '../../tenant-settings/application/ports';
import type { KeyUseRecorder, VerifiedKey, VerifiedKeys } from '../../virtual-keys/application/ports';
import { bearerToken, looksLikeVirtualKey } from '../../virtual-keys/domain/key-format';
import {
  creatorFrozen, creatorRestricted, invalidApiKey, keyTokenLimitReached, noProviderKey, overloaded, rateLimited, tenantQuotaExhausted, unavailable,
} from '../domain/api-errors';
import type { PrivacyStates } from '../../privacy/application/ports';
import { decideSelfAccess } from '../../privacy/domain/privacy-state';
import {
  FactsUnavailableError, MeteringRefusedError, type Admitted, type Meter, type MeteredUsage, type ProviderEndpoint,
} from '../../metering/application/ports';
import type { RequestSize } from '../../metering/domain/admission';
import type { Payer } from '../../metering/domain/metering-fact';

export interface ApiAccessDeps {
  keys: VerifiedKeys;
  hash: (key: string) => string;
  settings: TenantSettingsReader;
  credentials: ProviderCredentials;
  /** Admission (one Redis script: rate, tenant quota, key budget) before the provider; usage after. */
  meter: Meter;
  lastUsed: KeyUseRecorder;
  /** In memory: a key whose creator is frozen or restricted is refused (no network call). */
  privacy?: PrivacyStates;
  logger: Logger;
}

/**
 * Every check of an API call that may refuse it, each from memory when warm except the admission
 * (one Redis script that also reserves the call's worst case), and the bookkeeping after it: the
 * usage is settled and made durable before the client sees the end; lastUsedAt is buffered.
 * Errors come out as OpenAI-shaped ApiErrors.
 */
export class ApiAccess {
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

  /**
   * Sheds the call while usage cannot be recorded (503 overloaded), then admits it against the
   * tenant's quota, the key's monthly budget and its rate, reserving its worst case: ApiError
   * 429 when refused (after the ChatRefused is durable), 503 when limits cannot be checked.
   */
  async admit(key: VerifiedKey, size: RequestSize): Promise<Admitted> {
    try {
      this.deps.meter.assertCanRecord();
      return await this.deps.meter.admit({
        payer: payerOf(key),
        limits: { ratePerMinute: key.rateLimitPerMinute, keyMonthlyTokens: key.monthlyTokenLimit },
        size,
      });
    } catch (error) {
      throw apiErrorOf(error, key);
    }
  }

  /** The tenant's provider endpoint, from the credential cache (one key-vault call per ttl); releases the reservation when there is none. */
  async providerFor(key: VerifiedKey, admitted: Admitted): Promise<ProviderEndpoint> {
    try {
      return (await this.deps.credentials.get(key.tenantId)).client;
    } catch (error) {
      await this.deps.meter.release(admitted);
      if (error instanceof NoProviderKeyError) {
        // The refusal to throw once its ChatRefused is durable, or the reason it is not (503).
        const refusal = await this.deps.meter.refusal(payerOf(key), 'no_provider_key').catch((notRecorded: unknown) => notRecorded);
        throw apiErrorOf(refusal, key);
      }
      this.deps.logger.warn({ err: error, tenantId: key.tenantId }, 'provider credential unavailable');
      throw unavailable('The provider key cannot be read right now; retry shortly.');
    }
  }

  credentialRejected(key: VerifiedKey): void {
    this.deps.credentials.invalidate(key.tenantId);
  }

  /** After the answer: lastUsedAt (buffered); resolves once the usage is settled and durable. */
  async completed(key: VerifiedKey, admitted: Admitted, usage: MeteredUsage): Promise<void> {
    this.deps.lastUsed.used(key.hash);
    await this.deps.meter.record(admitted, usage);
  }
}

function payerOf(key: VerifiedKey): Payer {
  return { kind: 'key', tenantId: key.tenantId, keyId: key.keyId };
}

function apiErrorOf(error: unknown, key: VerifiedKey): unknown {
  if (error instanceof FactsUnavailableError) return overloaded(error.retryAfterSec);
  if (error instanceof UnavailableError) return unavailable('Usage limits cannot be checked right now; retry shortly.');
  if (!(error instanceof MeteringRefusedError)) return error;
  const retryAfterSec = error.retryAfterSec ?? 1;
  switch (error.reason) {
    case 'quota_exhausted':
      return tenantQuotaExhausted(retryAfterSec);
    case 'key_token_limit_reached':
      return keyTokenLimitReached(retryAfterSec);
    case 'rate_limited':
      return rateLimited(key.rateLimitPerMinute, retryAfterSec);
    case 'no_provider_key':
      return noProviderKey();
  }
}
