// The quota and rate-limit decision, from the numbers one Redis script read (see quota-gate.ts).

export interface QuotaProbe {
  /** Monthly token limit set by billing; null = unlimited. */
  monthlyTokenLimit: number | null;
  /** Tokens used this month (as counted by billing). */
  tokensUsedThisMonth: number;
  /** This member's requests in the current minute, including this one. */
  requestsThisMinute: number;
}

export interface QuotaPolicy {
  ratePerMinute: number;
  nowMs: number;
}

export type QuotaDecision =
  | { allowed: true }
  | { allowed: false; reason: 'quota_exhausted' | 'rate_limited'; retryAfterSec: number };

const MINUTE_MS = 60_000;

/** Quota first: a tenant out of tokens is told so even when the member is also too fast. */
export function decideQuota(probe: QuotaProbe, policy: QuotaPolicy): QuotaDecision {
  if (probe.monthlyTokenLimit !== null && probe.tokensUsedThisMonth >= probe.monthlyTokenLimit) {
    return { allowed: false, reason: 'quota_exhausted', retryAfterSec: secondsUntilNextMonth(policy.nowMs) };
  }
  if (probe.requestsThisMinute > policy.ratePerMinute) {
    const intoMinute = policy.nowMs % MINUTE_MS;
    return { allowed: false, reason: 'rate_limited', retryAfterSec: Math.max(1, Math.ceil((MINUTE_MS - intoMinute) / 1000)) };
  }
  return { allowed: true };
}

/** "2025-03" for the UTC month containing nowMs: the billing period of the usage counter. */
export function billingMonth(nowMs: number): string {
  const d = new Date(nowMs);
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** Minutes since the epoch: the window of the per-member rate-limit counter. */
export function epochMinute(nowMs: number): number {
  return Math.floor(nowMs / MINUTE_MS);
}

function secondsUntilNextMonth(nowMs: number): number {
  const d = new Date(nowMs);
  const next = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  return Math.max(1, Math.ceil((next - nowMs) / 1000));
}
