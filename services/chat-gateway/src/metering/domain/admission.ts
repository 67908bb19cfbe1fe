import { secondsUntilNextMinute, secondsUntilNextMonth } from './billing-window';
import type { RefusalReason } from './metering-fact';

// Admission of a metered completion: rate limit, the tenant's monthly quota and (for a virtual
// key) the key's monthly budget, decided and reserved in ONE atomic step before the provider is
// called (metering/infrastructure/admission-script.ts runs this rule inside Redis; it is the
// reference the script is tested against). A request is admitted while something is left, and
// reserves its whole worst case (prompt estimate + its completion cap), even past the limit;
// after the answer the reservation is settled to the real usage.
//
// Why the whole worst case and not min(worst case, what is left): every request in flight has
// then reserved at least what it can use, so settles only ever lower the counter, and the only
// request that can take the total past the limit is the last one admitted while something was
// left: usage stays within limit + that request's reservation, however many run at once.
// Clamped reservations would each overrun by (used - clamped) as settles free room for more of
// them (measured: 1,000 concurrent calls of 12 tokens against 500 left reached 612).

export interface AdmissionCounters {
  /** The tenant's monthly token limit (set by billing); null = unlimited (usage still counted). */
  tenantLimit: number | null;
  /** Tokens counted this month: settled usage plus the reservations in flight. */
  tenantUsed: number;
  /** The same for the virtual key (0 for a member). */
  keyUsed: number;
  /** Requests of this member or key in the current minute, this one included. */
  requestsThisMinute: number;
}

export interface AdmissionLimits {
  ratePerMinute: number;
  /** The key's monthly token budget; null = none (members, keys without one). */
  keyMonthlyTokens: number | null;
}

export type AdmissionRefusal = Exclude<RefusalReason, 'no_provider_key'>;

export type AdmissionVerdict = { admitted: true; reserved: number } | { admitted: false; reason: AdmissionRefusal };

/** The most lasting reason wins: tenant quota, then key budget, then rate. */
export function admit(counters: AdmissionCounters, limits: AdmissionLimits, wanted: number): AdmissionVerdict {
  if (counters.tenantLimit !== null && counters.tenantUsed >= counters.tenantLimit) return { admitted: false, reason: 'quota_exhausted' };
  if (limits.keyMonthlyTokens !== null && counters.keyUsed >= limits.keyMonthlyTokens) return { admitted: false, reason: 'key_token_limit_reached' };
  if (counters.requestsThisMinute > limits.ratePerMinute) return { admitted: false, reason: 'rate_limited' };
  return { admitted: true, reserved: wanted };
}

export interface RequestSize {
  /** Estimated tokens of everything sent upstream (instruction, history, the new message). */
  promptTokens: number;
  /** max_completion_tokens / max_tokens of the request, when it set one. */
  maxCompletionTokens: number | undefined;
  /** Completions asked for (OpenAI's n); default 1. */
  choices?: number;
}

/** The worst case of a request: its prompt plus every completion at its cap (or the default cap). */
export function reservationWanted(size: RequestSize, defaultMaxCompletionTokens: number): number {
  const perChoice = size.maxCompletionTokens ?? defaultMaxCompletionTokens;
  return Math.max(1, size.promptTokens + perChoice * Math.max(1, size.choices ?? 1));
}

/** When a refused request may succeed: next month for a quota or budget, next minute for the rate. */
export function retryAfterSec(reason: AdmissionRefusal, nowMs: number): number {
  return reason === 'rate_limited' ? secondsUntilNextMinute(nowMs) : secondsUntilNextMonth(nowMs);
}
