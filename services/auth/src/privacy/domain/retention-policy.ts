// How long auth keeps security records (login links and their claims) per tenant.

export const DAY_MS = 86_400_000;
export const DEFAULT_SECURITY_LOG_DAYS = 90;

/** The tenant's period; unset, zero or negative (not meaningful for security logs) → the default. */
export function securityLogDays(configured: number | undefined): number {
  return configured !== undefined && Number.isInteger(configured) && configured > 0 ? configured : DEFAULT_SECURITY_LOG_DAYS;
}

/** Records created before this instant are past their period. */
export function retentionCutoff(nowMs: number, days: number): number {
  return nowMs - days * DAY_MS;
}
