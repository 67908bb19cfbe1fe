import { hashIp, type RateBucket, type RateRule } from '@enclave/platform';

export { RateLimiter, type RateBucket, type RateDecision } from '@enclave/platform';

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
