export interface RateRule {
  limit: number;
  windowMs: number;
}

/** One counter: at most `limit` hits per `windowMs` under `key`. */
export interface RateBucket extends RateRule {
  key: string;
}

export interface RateDecision {
  allowed: boolean;
  /** When the tightest exceeded bucket opens again (0 when allowed). */
  retryAfterMs: number;
}

/** Counts a hit in every bucket at once; refused when any bucket is over its limit. */
export abstract class RateLimiter {
  abstract consume(buckets: readonly RateBucket[]): Promise<RateDecision>;
}
