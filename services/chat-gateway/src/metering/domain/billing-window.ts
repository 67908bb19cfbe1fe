// The windows of the metering counters: the UTC month of the token counters, the epoch minute
// of the per-minute request counters.

const MINUTE_MS = 60_000;

/** "2025-03" for the UTC month containing nowMs: the billing period of the usage counters. */
export function billingMonth(nowMs: number): string {
  const d = new Date(nowMs);
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** Minutes since the epoch: the window of the per-minute request counters. */
export function epochMinute(nowMs: number): number {
  return Math.floor(nowMs / MINUTE_MS);
}

export function secondsUntilNextMonth(nowMs: number): number {
  const d = new Date(nowMs);
  return Math.max(1, Math.ceil((Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) - nowMs) / 1000));
}

export function secondsUntilNextMinute(nowMs: number): number {
  return Math.max(1, Math.ceil((MINUTE_MS - (nowMs % MINUTE_MS)) / 1000));
}
