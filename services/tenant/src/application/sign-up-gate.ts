import {
  ForbiddenError,
  hashIp,
  keyedHash,
  operatorTokenMatches,
  RateLimitedError,
  UnauthenticatedError,
  UnavailableError,
  type RateBucket,
  type RateLimiter,
  type RateRule,
} from '@enclave/platform';

/** `open`: anyone may create an instance (rate-limited); `operator`: only with the operator token. */
export type SignUpMode = 'open' | 'operator';

export interface SignUpPolicy {
  mode: SignUpMode;
  /** Required in `operator` mode; in `open` mode a request bearing it skips the limits. */
  operatorToken: string | undefined;
  /** HMAC key of the counters' names: neither a client IP nor an email is ever stored raw. */
  hashKey: Buffer;
  perIp: RateRule;
  perEmail: RateRule;
}

export interface SignUpAttempt {
  clientIp: string;
  /** Already trimmed and lower-cased by the edge. */
  adminEmail: string;
  operatorToken: string | undefined;
}

/**
 * The counters one sign-up counts against: the client, by keyed hash of its IP, and the admin
 * address, by keyed hash of the email (so one victim address cannot be mailed from many IPs).
 */
export function signUpBuckets(attempt: SignUpAttempt, policy: Pick<SignUpPolicy, 'hashKey' | 'perIp' | 'perEmail'>): RateBucket[] {
  return [
    { key: `tenant:sign-up:ip:${hashIp(policy.hashKey, attempt.clientIp)}`, ...policy.perIp },
    { key: `tenant:sign-up:email:${keyedHash(policy.hashKey, `email:${attempt.adminEmail}`)}`, ...policy.perEmail },
  ];
}

/**
 * Decides whether an instance may be created before anything is written or mailed: operator-only
 * mode wants the operator token (401 without, 403 wrong); otherwise the per-IP and per-email
 * limits apply (429 with Retry-After). Without the counters there is no abuse protection, so a
 * Redis failure refuses (503) rather than letting sign-ups through unmetered.
 */
export class SignUpGate {
  constructor(
    private readonly policy: SignUpPolicy,
    private readonly limiter: RateLimiter,
  ) {}

  async admit(attempt: SignUpAttempt): Promise<void> {
    const { policy } = this;
    const isOperator = policy.operatorToken !== undefined && operatorTokenMatches(policy.operatorToken, attempt.operatorToken);
    if (isOperator) return;
    if (policy.mode === 'operator') {
      if (!attempt.operatorToken) throw new UnauthenticatedError('instance creation needs the x-operator-token header');
      throw new ForbiddenError('operator token not accepted');
    }
    const decision = await this.limiter.consume(signUpBuckets(attempt, policy)).catch(() => {
      throw new UnavailableError('instance creation is unavailable right now; retry later');
    });
    if (!decision.allowed) {
      throw new RateLimitedError('too many instances requested from this client or for this address; retry later', Math.max(1, Math.ceil(decision.retryAfterMs / 1000)));
    }
  }
}
