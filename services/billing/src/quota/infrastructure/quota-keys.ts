// The Redis contract with chat-gateway, which reads both keys in one round trip before a chat:
//   enclave:quota-limit:{tenantId}       monthly token limit (integer); absent = unlimited
//   enclave:usage:{tenantId}:{YYYY-MM}   tokens (prompt + completion) used that UTC month
// Billing owns the writes. Redis is a disposable copy: billing re-syncs it from Mongo on start.

export function quotaLimitKey(tenantId: string): string {
  return `enclave:quota-limit:${tenantId}`;
}

export function monthlyUsageKey(tenantId: string, month: string): string {
  return `enclave:usage:${tenantId}:${month}`;
}

/** Usage keys outlive their month by a little, so the gateway never reads a missing key mid-month. */
export const USAGE_KEY_TTL_SECONDS = 40 * 24 * 60 * 60;
