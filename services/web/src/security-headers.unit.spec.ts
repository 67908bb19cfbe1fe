import { CONTENT_SECURITY_POLICY, csrfRefusal, SECURITY_HEADERS } from './security-headers';

const own = 'http://127.0.0.1:7100';

describe('security headers', () => {
  it('allow no inline script or style and no framing', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-inline');
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
    expect(SECURITY_HEADERS['x-frame-options']).toBe('DENY');
    expect(SECURITY_HEADERS['referrer-policy']).toBe('no-referrer');
  });
});

describe('csrfRefusal', () => {
  it('lets reads through', () => {
    expect(csrfRefusal({ method: 'GET', ownOrigin: own, headers: { cookie: 'x', origin: 'https://evil.example' } })).toBeUndefined();
  });

  it('lets the console through: same origin with the header', () => {
    expect(csrfRefusal({ method: 'POST', ownOrigin: own, headers: { cookie: 'x', origin: own, 'sec-fetch-site': 'same-origin', 'x-enclave-csrf': '1' } })).toBeUndefined();
  });

  it('refuses another origin even with the header', () => {
    expect(csrfRefusal({ method: 'POST', ownOrigin: own, headers: { cookie: 'x', origin: 'https://evil.example', 'x-enclave-csrf': '1' } })).toMatch(/cross-origin/);
  });

  it('refuses a cross-site request that omits Origin', () => {
    expect(csrfRefusal({ method: 'DELETE', ownOrigin: own, headers: { cookie: 'x', 'sec-fetch-site': 'same-site', 'x-enclave-csrf': '1' } })).toMatch(/cross-site/);
  });

  it('refuses a same-origin browser request without the header (a plain form post)', () => {
    expect(csrfRefusal({ method: 'POST', ownOrigin: own, headers: { cookie: 'x', origin: own } })).toMatch(/x-enclave-csrf/);
  });

  it('leaves API clients without cookie or browser headers alone', () => {
    expect(csrfRefusal({ method: 'POST', ownOrigin: own, headers: { authorization: 'Bearer t' } })).toBeUndefined();
  });
});
