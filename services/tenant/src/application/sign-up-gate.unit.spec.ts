// Does the sign-up gate count a sign-up per keyed IP hash and per keyed email hash, refuse with 429 and
// a whole-second Retry-After, fail closed (503) without its counters, and let only the operator through
// in operator-only mode?
import { RateLimitedError, RateLimiter, UnauthenticatedError, UnavailableError, ForbiddenError, type RateBucket, type RateDecision } from '@enclave/platform';
import { signUpBuckets, SignUpGate, type SignUpPolicy } from './sign-up-gate';

class Limiter extends RateLimiter {
  readonly seen: RateBucket[][] = [];
  constructor(private readonly answer: RateDecision | Error) {
    super();
  }
  async consume(buckets: readonly RateBucket[]): Promise<RateDecision> {
    this.seen.push([...buckets]);
    if (this.answer instanceof Error) throw this.answer;
    return this.answer;
  }
}

const token = 'op-token-0123456789abcdefghijklmnopqrstuvwxyz';
const policy: SignUpPolicy = {
  mode: 'open',
  operatorToken: token,
  hashKey: Buffer.alloc(32, 3),
  perIp: { limit: 10, windowMs: 3_600_000 },
  perEmail: { limit: 3, windowMs: 3_600_000 },
};
const attempt = { clientIp: '203.0.113.9', adminEmail: 'victim@example.org', operatorToken: undefined };
const allowed = { allowed: true, retryAfterMs: 0 };

describe('sign-up buckets', () => {
  it('count the client and the address by keyed hashes only', () => {
    const [ip, email] = signUpBuckets(attempt, policy);
    expect(ip).toEqual({ key: expect.stringMatching(/^tenant:sign-up:ip:[0-9a-f]{64}$/), limit: 10, windowMs: 3_600_000 });
    expect(email).toEqual({ key: expect.stringMatching(/^tenant:sign-up:email:[0-9a-f]{64}$/), limit: 3, windowMs: 3_600_000 });
    expect(signUpBuckets({ ...attempt, clientIp: '::ffff:203.0.113.9' }, policy)[0]).toEqual(ip);
    expect(signUpBuckets(attempt, { ...policy, hashKey: Buffer.alloc(32, 4) })[1]!.key).not.toBe(email!.key);
  });
});

describe('open mode', () => {
  it('admits while the counters allow', async () => {
    const limiter = new Limiter(allowed);
    await new SignUpGate(policy, limiter).admit(attempt);
    expect(limiter.seen).toEqual([signUpBuckets(attempt, policy)]);
  });

  it('refuses past a limit with Retry-After rounded up to whole seconds', async () => {
    const refusal = new SignUpGate(policy, new Limiter({ allowed: false, retryAfterMs: 1_200 })).admit(attempt);
    await expect(refusal).rejects.toBeInstanceOf(RateLimitedError);
    await expect(refusal).rejects.toMatchObject({ retryAfterSec: 2 });
  });

  it('refuses with 503 when the counters cannot be reached', async () => {
    await expect(new SignUpGate(policy, new Limiter(new Error('redis down'))).admit(attempt)).rejects.toBeInstanceOf(UnavailableError);
  });

  it('lets the operator through without counting', async () => {
    const limiter = new Limiter({ allowed: false, retryAfterMs: 1_000 });
    await new SignUpGate(policy, limiter).admit({ ...attempt, operatorToken: token });
    expect(limiter.seen).toEqual([]);
  });
});

describe('operator-only mode', () => {
  const operatorOnly = { ...policy, mode: 'operator' as const };

  it('wants the operator token: 401 without, 403 wrong, admitted right', async () => {
    const gate = new SignUpGate(operatorOnly, new Limiter(allowed));
    await expect(gate.admit(attempt)).rejects.toBeInstanceOf(UnauthenticatedError);
    await expect(gate.admit({ ...attempt, operatorToken: 'guess' })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(gate.admit({ ...attempt, operatorToken: token })).resolves.toBeUndefined();
  });
});
