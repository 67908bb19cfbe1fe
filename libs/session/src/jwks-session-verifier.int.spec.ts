// Does the gateway-side verifier fetch auth's published keys once, and pick up a rotated key when a token names it?
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Jwks } from '@enclave/platform';
import { JwksSessionVerifier } from './session-verifier';
import { testSessions } from './test-sessions';

describe('JwksSessionVerifier', () => {
  let server: Server;
  let served: Jwks;
  let fetches = 0;
  let unavailable = false;
  let url: string;

  beforeAll(async () => {
    server = createServer((_req, res) => {
      fetches += 1;
      if (unavailable) {
        res.statusCode = 503;
        res.end();
        return;
      }
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(served));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/auth/jwks`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('verifies many tokens with one fetch, and refetches for a new key id', async () => {
    const first = testSessions();
    const second = testSessions();
    served = first.jwks;
    const verifier = new JwksSessionVerifier({ jwksUrl: url, minRefetchMs: 0 });
    for (let i = 0; i < 5; i++) {
      const { token, session } = first.mint({ tenantId: 't', role: 'member' });
      await expect(verifier.verify(token)).resolves.toEqual(session);
    }
    expect(fetches).toBe(1);
    served = { keys: [...first.jwks.keys, ...second.jwks.keys] };
    const { token, session } = second.mint({ tenantId: 't', role: 'auditor' });
    await expect(verifier.verify(token)).resolves.toEqual(session);
    expect(fetches).toBe(2);
  });

  it('fetches again at once while no key set was ever loaded (auth started after us)', async () => {
    const keys = testSessions();
    served = keys.jwks;
    unavailable = true;
    const verifier = new JwksSessionVerifier({ jwksUrl: url, minRefetchMs: 60_000 });
    const { token, session } = keys.mint({ tenantId: 't', role: 'member' });
    await expect(verifier.verify(token)).rejects.toThrow('not trusted');
    unavailable = false;
    await expect(verifier.verify(token)).resolves.toEqual(session);
  });
});
