// The Redis contract with chat-gateway, which reads both keys in one round trip before a chat:
//   enclave:quota-limit:{tenantId}       monthly token limit (integer); absent = unlimited
//   enclave:usage:{tenantId}:{YYYY-MM}   tokens (prompt + completion) used that UTC month
// Billing owns the limit. chat-gateway owns the usage counter (it reserves before calling the
// provider and settles after); billing never adds to it, it only raises it to its own projected
// month total on start (a max, never lower), should Redis have lost it.

export function quotaLimitKey(tenantId: string): string {
  return `enclave:quota-limit:${tenantId}`;
}

export function monthlyUsageKey(tenantId: string, month: string): string {
  return `enclave:usage:${tenantId}:${month}`;
}

/** Usage keys outlive their month by a little, so the gateway never reads a missing key mid-month. */
export const USAGE_KEY_TTL_SECONDS = 40 * 24 * 60 * 60;
