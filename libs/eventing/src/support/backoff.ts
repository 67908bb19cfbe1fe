export interface BackoffOptions {
  /** Delay before the first retry. */
  initialMs: number;
  maxMs: number;
  /** Growth per attempt (2 = doubling). */
  factor: number;
  /** 0..1: the delay is drawn from [delay*(1-jitter), delay] so retries of many clients spread. */
  jitter: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 200, maxMs: 30_000, factor: 2, jitter: 0.2 };

/** Delay before retry number `attempt` (1 = first retry): initial * factor^(attempt-1), capped. */
export function backoffDelay(attempt: number, options: BackoffOptions = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const n = Math.max(1, Math.floor(attempt));
  const raw = Math.min(options.maxMs, options.initialMs * Math.pow(options.factor, n - 1));
  const jitter = Math.min(1, Math.max(0, options.jitter));
  return Math.round(raw * (1 - jitter * random()));
}
