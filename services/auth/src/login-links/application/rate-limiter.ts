import { hashIp } from '../../shared/keyed-hash';

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

export interface LoginLinkRateLimits {
  perIp: RateRule;
  perEmail: RateRule;
}

export interface LoginLinkRequester {
  ip: string;
  tenantId: string;
  emailHash: string;
}

/**
 * The buckets a login-link request counts against: the client (by keyed hash of its IP, so the
 * raw IP is never stored) and the (tenant, email hash) pair. Known and unknown emails count the
 * same, so a 429 says nothing about membership.
 */
export function loginLinkBuckets(requester: LoginLinkRequester, ipHashKey: Buffer, limits: LoginLinkRateLimits): RateBucket[] {
  return [
    { key: `auth:login-links:ip:${hashIp(ipHashKey, requester.ip)}`, ...limits.perIp },
    { key: personRateKeys(requester.tenantId, requester.emailHash)[0]!, ...limits.perEmail },
  ];
}

/** Every counter keyed by a person (their email hash): deleted when the person is erased. */
export function personRateKeys(tenantId: string, emailHash: string): string[] {
  return [`auth:login-links:email:${tenantId}:${emailHash}`];
}
