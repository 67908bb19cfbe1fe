import { billingMonth, epochMinute } from '../../chat/domain/quota-decision';

// Redis keys shared with billing (which writes the limit and the monthly usage counter). Plain
// string keys holding decimal integers: billing SETs the limit and INCRBYs the usage; we GET.
// Tenant ids contain no ':' (see @enclave/eventing tenantId), so the segments cannot collide.

/** Monthly token limit of a tenant; missing = unlimited. Written by billing. */
export function quotaLimitKey(tenantId: string): string {
  return `enclave:quota-limit:${tenantId}`;
}

/** Tokens used by a tenant in a UTC month "YYYY-MM". Incremented by billing. */
export function monthlyUsageKey(tenantId: string, nowMs: number): string {
  return `enclave:usage:${tenantId}:${billingMonth(nowMs)}`;
}

/** Requests of one member in one epoch minute; expires after 120 s. Owned by chat-gateway. */
export function rateCounterKey(tenantId: string, subjectId: string, nowMs: number): string {
  return `enclave:rl:${tenantId}:${subjectId}:${epochMinute(nowMs)}`;
}

export const RATE_COUNTER_TTL_SEC = 120;
