// Does the guarded lookup reuse DNS answers only for their ttl, re-check every answer against the URL
// policy on every call, and refuse private, loopback, link-local and metadata addresses unless allowed?
import type { LookupAddress } from 'node:dns';
import type { LookupOneOptions } from 'node:dns';
import { EgressRefusedError, guardedLookup, ResolutionCache, type Resolve } from './guarded-lookup';
import type { BaseUrlPolicy } from './base-url-policy';

const strict: BaseUrlPolicy = { allowPrivate: false, allowLoopback: false };

function lookupAll(lookup: ReturnType<typeof guardedLookup>, host: string): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) => {
    lookup(host, { all: true }, (error, addresses) => (error ? reject(error) : resolve(addresses as LookupAddress[])));
  });
}

function lookupOne(lookup: ReturnType<typeof guardedLookup>, host: string, options: LookupOneOptions = {}): Promise<{ address: string; family: number }> {
  return new Promise((resolve, reject) => {
    lookup(host, options, (error, address, family) => (error ? reject(error) : resolve({ address: address as string, family: family! })));
  });
}

function resolver(answers: Record<string, string[]>) {
  const calls: string[] = [];
  const resolve: Resolve = async (host) => {
    calls.push(host);
    return answers[host] ?? [];
  };
  return { resolve, calls, answers };
}

describe('guardedLookup', () => {
  it('answers with the resolved public addresses, for an https origin', async () => {
    const dns = resolver({ 'api.example.com': ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946'] });
    const lookup = guardedLookup(new ResolutionCache({ resolve: dns.resolve }), strict, true);
    expect(await lookupAll(lookup, 'api.example.com')).toEqual([
      { address: '93.184.216.34', family: 4 },
      { address: '2606:2800:220:1:248:1893:25c8:1946', family: 6 },
    ]);
    expect(await lookupOne(lookup, 'api.example.com', { family: 6 })).toEqual({ address: '2606:2800:220:1:248:1893:25c8:1946', family: 6 });
  });

  it('refuses a name that resolves to a private, loopback, link-local or metadata address (one bad answer is enough)', async () => {
    const dns = resolver({
      private: ['10.0.0.7'],
      loopback: ['127.0.0.1'],
      linklocal: ['169.254.10.1'],
      metadata: ['169.254.169.254'],
      mapped: ['::ffff:169.254.169.254'],
      mixed: ['93.184.216.34', '192.168.1.10'],
    });
    const lookup = guardedLookup(new ResolutionCache({ resolve: dns.resolve }), strict, true);
    for (const host of Object.keys(dns.answers)) {
      await expect(lookupAll(lookup, host)).rejects.toBeInstanceOf(EgressRefusedError);
    }
    await expect(lookupOne(lookup, 'metadata')).rejects.toMatchObject({ code: 'EGRESS_REFUSED', message: 'base URL points to a cloud metadata endpoint' });
  });

  it('lets the allow settings open private and loopback addresses, never link-local or metadata', async () => {
    const dns = resolver({ private: ['10.0.0.7'], loopback: ['127.0.0.1'], metadata: ['169.254.169.254'] });
    const lookup = guardedLookup(new ResolutionCache({ resolve: dns.resolve }), { allowPrivate: true, allowLoopback: true }, false);
    expect(await lookupOne(lookup, 'private')).toEqual({ address: '10.0.0.7', family: 4 });
    expect(await lookupOne(lookup, 'loopback')).toEqual({ address: '127.0.0.1', family: 4 });
    await expect(lookupOne(lookup, 'metadata')).rejects.toBeInstanceOf(EgressRefusedError);
  });

  it('refuses plain http to a public address (the key would cross the internet in clear)', async () => {
    const dns = resolver({ 'api.example.com': ['93.184.216.34'] });
    const lookup = guardedLookup(new ResolutionCache({ resolve: dns.resolve }), strict, false);
    await expect(lookupOne(lookup, 'api.example.com')).rejects.toMatchObject({ message: 'base URL must use https for a public host' });
  });

  it('checks address literals without resolving them', async () => {
    const dns = resolver({});
    const lookup = guardedLookup(new ResolutionCache({ resolve: dns.resolve }), strict, true);
    await expect(lookupOne(lookup, '[fd00:ec2::254]')).rejects.toBeInstanceOf(EgressRefusedError);
    expect(await lookupOne(lookup, '93.184.216.34')).toEqual({ address: '93.184.216.34', family: 4 });
    expect(dns.calls).toEqual([]);
  });

  it('reuses an answer for its ttl, yet re-checks it on every connection; a changed answer counts after the ttl', async () => {
    let now = 0;
    const dns = resolver({ 'rebind.example.com': ['93.184.216.34'] });
    const cache = new ResolutionCache({ resolve: dns.resolve, ttlMs: 1000, now: () => now });
    const lookup = guardedLookup(cache, strict, true);
    for (let i = 0; i < 5; i += 1) expect(await lookupOne(lookup, 'rebind.example.com')).toEqual({ address: '93.184.216.34', family: 4 });
    expect(dns.calls).toEqual(['rebind.example.com']);
    dns.answers['rebind.example.com'] = ['10.0.0.7'];
    now = 999;
    expect(await lookupOne(lookup, 'rebind.example.com')).toEqual({ address: '93.184.216.34', family: 4 });
    now = 1000;
    await expect(lookupOne(lookup, 'rebind.example.com')).rejects.toBeInstanceOf(EgressRefusedError);
    expect(dns.calls).toHaveLength(2);
  });

  it('shares one query between concurrent lookups and keeps no failed answer', async () => {
    const dns = resolver({ 'api.example.com': ['93.184.216.34'] });
    const cache = new ResolutionCache({ resolve: dns.resolve });
    await Promise.all([cache.addresses('api.example.com'), cache.addresses('api.example.com'), cache.addresses('api.example.com')]);
    expect(dns.calls).toEqual(['api.example.com']);
    const lookup = guardedLookup(cache, strict, true);
    await expect(lookupOne(lookup, 'nowhere.example.com')).rejects.toMatchObject({ message: 'base URL host does not resolve' });
    await expect(lookupOne(lookup, 'nowhere.example.com')).rejects.toBeInstanceOf(EgressRefusedError);
    expect(dns.calls.filter((h) => h === 'nowhere.example.com')).toHaveLength(2);
  });

  it('fails a lookup that takes longer than its deadline', async () => {
    const cache = new ResolutionCache({ resolve: () => new Promise<string[]>(() => undefined), timeoutMs: 20 });
    await expect(lookupOne(guardedLookup(cache, strict, true), 'slow.example.com')).rejects.toThrow('host lookup timed out');
  });
});
