import { billingMonth, epochMinute } from '../../chat/domain/quota-decision';

// Redis keys owned by chat-gateway for virtual keys (the tenant's limit and usage keys are
// billing's, see chat/infrastructure/quota-keys.ts). Key ids are UUIDs: no ':' inside.

/** Requests with one virtual key in one epoch minute; expires after 120 s. */
export function keyRateCounterKey(keyId: string, nowMs: number): string {
  return `enclave:vk-rl:${keyId}:${epochMinute(nowMs)}`;
}

/** Tokens used with one virtual key in a UTC month "YYYY-MM"; INCRBY after each answer. */
export function keyMonthlyUsageKey(keyId: string, nowMs: number): string {
  return `enclave:vk-usage:${keyId}:${billingMonth(nowMs)}`;
}

export const KEY_RATE_COUNTER_TTL_SEC = 120;
/** A month and some slack: the counter is not needed once its month is over. */
export const KEY_USAGE_TTL_SEC = 40 * 24 * 3600;
