// The per-key limits and the tenant's quota, decided from what one Redis script read
// (infrastructure/api-quota-gate.ts). Pure.

export interface ApiQuotaProbe {
  /** The tenant's monthly token limit (billing); null = unlimited. */
  tenantLimit: number | null;
  tenantUsed: number;
  /** Tokens used with this key this UTC month (counted by the gateway). */
  keyUsed: number;
  /** Requests with this key in the current minute, this one included. */
  requestsThisMinute: number;
}

export interface ApiKeyLimits {
  rateLimitPerMinute: number;
  monthlyTokenLimit: number | null;
}

export type ApiRefusalReason = 'quota_exhausted' | 'key_token_limit_reached' | 'rate_limited';

export type ApiQuotaDecision = { allowed: true } | { allowed: false; reason: ApiRefusalReason; retryAfterSec: number };

const MINUTE_MS = 60_000;

/** Tenant quota first, then the key's monthly tokens, then its rate: the most lasting reason wins. */
export function decideApiQuota(probe: ApiQuotaProbe, limits: ApiKeyLimits, nowMs: number): ApiQuotaDecision {
  if (probe.tenantLimit !== null && probe.tenantUsed >= probe.tenantLimit) {
    return { allowed: false, reason: 'quota_exhausted', retryAfterSec: secondsUntilNextMonth(nowMs) };
  }
  if (limits.monthlyTokenLimit !== null && probe.keyUsed >= limits.monthlyTokenLimit) {
    return { allowed: false, reason: 'key_token_limit_reached', retryAfterSec: secondsUntilNextMonth(nowMs) };
  }
  if (probe.requestsThisMinute > limits.rateLimitPerMinute) {
    return { allowed: false, reason: 'rate_limited', retryAfterSec: Math.max(1, Math.ceil((MINUTE_MS - (nowMs % MINUTE_MS)) / 1000)) };
  }
  return { allowed: true };
}

export function secondsUntilNextMonth(nowMs: number): number {
  const d = new Date(nowMs);
  return Math.max(1, Math.ceil((Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) - nowMs) / 1000));
}
