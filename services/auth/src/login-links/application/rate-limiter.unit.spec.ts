// Which counters does a login-link request count against, and do their keys hide the client?
import { hashIp } from '@enclave/platform';
import { loginLinkBuckets, type LoginLinkRateLimits } from './rate-limiter';

const ipKey = Buffer.alloc(32, 1);
const limits: LoginLinkRateLimits = { perIp: { limit: 10, windowMs: 900_000 }, perEmail: { limit: 5, windowMs: 900_000 } };

describe('login-link rate-limit buckets', () => {
  it('counts per keyed IP hash and per (tenant, email hash), each with its own rule', () => {
    const [ip, email] = loginLinkBuckets({ ip: '203.0.113.9', tenantId: 't1', emailHash: 'e'.repeat(64) }, ipKey, limits);
    expect(ip).toEqual({ key: `auth:login-links:ip:${hashIp(ipKey, '203.0.113.9')}`, limit: 10, windowMs: 900_000 });
    expect(email).toEqual({ key: `auth:login-links:email:t1:${'e'.repeat(64)}`, limit: 5, windowMs: 900_000 });
  });

  it('never puts the raw IP into a key', () => {
    const keys = loginLinkBuckets({ ip: '203.0.113.9', tenantId: 't1', emailHash: 'h' }, ipKey, limits).map((b) => b.key);
    for (const key of keys) expect(key).not.toContain('203.0.113.9');
  });

  it('gives the same client the same IP key whatever email or tenant it asks for', () => {
    const a = loginLinkBuckets({ ip: '::ffff:198.51.100.4', tenantId: 't1', emailHash: 'a' }, ipKey, limits)[0]!.key;
    const b = loginLinkBuckets({ ip: '198.51.100.4', tenantId: 't2', emailHash: 'b' }, ipKey, limits)[0]!.key;
    expect(a).toBe(b);
  });

  it('keeps the same email in two tenants apart', () => {
    const a = loginLinkBuckets({ ip: '1.1.1.1', tenantId: 't1', emailHash: 'x' }, ipKey, limits)[1]!.key;
    const b = loginLinkBuckets({ ip: '1.1.1.1', tenantId: 't2', emailHash: 'x' }, ipKey, limits)[1]!.key;
    expect(a).not.toBe(b);
  });

  it('changes the IP key when IP_HASH_KEY changes', () => {
    const a = loginLinkBuckets({ ip: '1.1.1.1', tenantId: 't', emailHash: 'x' }, ipKey, limits)[0]!.key;
    const b = loginLinkBuckets({ ip: '1.1.1.1', tenantId: 't', emailHash: 'x' }, Buffer.alloc(32, 2), limits)[0]!.key;
    expect(a).not.toBe(b);
  });
});
