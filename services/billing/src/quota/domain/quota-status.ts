// What a tenant's quota means for a month's usage: how much is left, whether to warn (80%) and
// whether the hard stop applies. A null quota is unlimited.

export type MonthlyTokenQuota = number | null;

export interface QuotaStatus {
  monthlyTokenQuota: MonthlyTokenQuota;
  used: number;
  remaining: number | null;
  warning: boolean;
  exhausted: boolean;
}

/** Usage at or above this share of the quota is worth a warning. */
export const WARNING_PERCENT = 80;

export function isExhausted(quota: MonthlyTokenQuota, used: number): boolean {
  return quota !== null && used >= quota;
}

export function quotaStatus(quota: MonthlyTokenQuota, used: number): QuotaStatus {
  if (quota === null) return { monthlyTokenQuota: null, used, remaining: null, warning: false, exhausted: false };
  return {
    monthlyTokenQuota: quota,
    used,
    remaining: Math.max(0, quota - used),
    // Integer arithmetic: used / quota >= 80% without floating point.
    warning: used * 100 >= quota * WARNING_PERCENT,
    exhausted: isExhausted(quota, used),
  };
}

export function isValidQuota(value: unknown): value is MonthlyTokenQuota {
  return value === null || (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0);
}
