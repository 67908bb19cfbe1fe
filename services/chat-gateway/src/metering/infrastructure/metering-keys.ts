import { billingMonth, epochMinute } from '../domain/billing-window';

// The Redis keys of metering: plain string keys holding decimal integers. Tenant ids contain no
// ':' (see @enclave/eventing tenantId) and key ids are UUIDs, so the segments cannot collide.
//   enclave:quota-limit:{tenant}             monthly token limit; absent = unlimited. Billing SETs it.
//   enclave:usage:{tenant}:{YYYY-MM}         tokens counted this UTC month: settled usage plus the
//                                            reservations in flight. chat-gateway owns it (reserve,
//                                            settle); billing only raises it to its projected total.
//   enclave:vk-usage:{keyId}:{YYYY-MM}       the same for one virtual key (its monthly budget).
//   enclave:rl:{tenant}:{subject}:{minute}   requests of one member in an epoch minute.
//   enclave:vk-rl:{keyId}:{minute}           requests with one virtual key in an epoch minute.

export function quotaLimitKey(tenantId: string): string {
  return `enclave:quota-limit:${tenantId}`;
}

export function monthlyUsageKey(tenantId: string, nowMs: number): string {
  return `enclave:usage:${tenantId}:${billingMonth(nowMs)}`;
}

export function keyMonthlyUsageKey(keyId: string, nowMs: number): string {
  return `enclave:vk-usage:${keyId}:${billingMonth(nowMs)}`;
}

export function rateCounterKey(tenantId: string, subjectId: string, nowMs: number): string {
  return `enclave:rl:${tenantId}:${subjectId}:${epochMinute(nowMs)}`;
}

export function keyRateCounterKey(keyId: string, nowMs: number): string {
  return `enclave:vk-rl:${keyId}:${epochMinute(nowMs)}`;
}

/** Two minutes: the window's minute and some slack. */
export const RATE_COUNTER_TTL_SEC = 120;
/** Usage counters outlive their month by a little (as billing's USAGE_KEY_TTL_SECONDS): 40 days. */
export const USAGE_COUNTER_TTL_SEC = 40 * 24 * 3600;
