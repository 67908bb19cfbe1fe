// Which provider base URLs does the SSRF guard accept or refuse, under each policy?
import { checkResolvedAddresses, parseBaseUrl, type BaseUrlPolicy } from './base-url-policy';
import { classifyAddress } from './ip-address';

const strict: BaseUrlPolicy = { allowPrivate: false, allowLoopback: false };
const dev: BaseUrlPolicy = { allowPrivate: false, allowLoopback: true };
const onPrem: BaseUrlPolicy = { allowPrivate: true, allowLoopback: false };
const everything: BaseUrlPolicy = { allowPrivate: true, allowLoopback: true };

describe('classifyAddress', () => {
  it.each([
    ['8.8.8.8', 'public'],
    ['2606:4700::1111', 'public'],
    ['169.254.169.254', 'metadata'],
    ['fd00:ec2::254', 'metadata'],
    ['100.100.100.200', 'metadata'],
    ['169.254.10.1', 'link-local'],
    ['fe80::1', 'link-local'],
    ['febf::1', 'link-local'],
    ['127.0.0.1', 'loopback'],
    ['127.9.9.9', 'loopback'],
    ['::1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['172.32.0.1', 'public'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'private'],
    ['fd12:3456::1', 'private'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['ff02::1', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['::ffff:169.254.169.254', 'metadata'],
    ['::ffff:a9fe:a9fe', 'metadata'],
    ['::ffff:7f00:1', 'loopback'],
    ['::127.0.0.1', 'loopback'],
    ['64:ff9b::a00:1', 'private'],
    ['2002:a9fe:a9fe::1', 'metadata'],
    ['2001:0:4136:e378::1', 'reserved'],
  ])('%s is %s', (ip, expected) => {
    expect(classifyAddress(ip)).toBe(expected);
  });
});

describe('parseBaseUrl', () => {
  const cases: Array<[string, BaseUrlPolicy, boolean, RegExp | null]> = [
    ['https://api.example.com/v1', strict, true, null],
    ['https://8.8.8.8/v1', strict, true, null],
    ['http://8.8.8.8/v1', everything, false, /https/],
    ['http://169.254.169.254/latest/meta-data', everything, false, /metadata/],
    ['http://[fd00:ec2::254]/', everything, false, /metadata/],
    ['http://metadata.google.internal/computeMetadata/v1', everything, false, /metadata/],
    ['http://METADATA.google.internal./', everything, false, /metadata/],
    ['http://169.254.1.1/', everything, false, /link-local/],
    ['http://[fe80::1]/', everything, false, /link-local/],
    ['http://[::ffff:169.254.169.254]/', everything, false, /metadata/],
    ['http://0xa9fea9fe/', everything, false, /metadata/],
    ['http://2852039166/', everything, false, /metadata/],
    ['http://127.0.0.1:7190/v1', strict, false, /loopback/],
    ['http://127.0.0.1:7190/v1', onPrem, false, /ALLOW_LOOPBACK_BASE_URLS/],
    ['http://127.0.0.1:7190/v1', dev, true, null],
    ['http://localhost:7190/v1', strict, false, /loopback/],
    ['http://api.localhost/v1', strict, false, /loopback/],
    ['http://localhost:7190/v1', dev, true, null],
    ['http://[::1]:7190/v1', dev, true, null],
    ['http://10.0.0.5:8000/v1', strict, false, /ALLOW_PRIVATE_BASE_URLS/],
    ['http://10.0.0.5:8000/v1', dev, false, /private/],
    ['http://10.0.0.5:8000/v1', onPrem, true, null],
    ['http://192.168.1.20/v1', onPrem, true, null],
    ['http://0.0.0.0:7190/', everything, false, /unspecified/],
    ['ftp://api.example.com/', everything, false, /http or https/],
    ['file:///etc/passwd', everything, false, /http or https/],
    ['https://user:pass@api.example.com/', everything, false, /credentials/],
    ['https://api.example.com/v1?x=1', everything, false, /query/],
    ['not a url', everything, false, /absolute URL/],
    ['/v1/relative', everything, false, /absolute URL/],
  ];
  it.each(cases)('%s under %o -> ok=%s', (url, policy, ok, reason) => {
    const verdict = parseBaseUrl(url, policy);
    expect(verdict.ok).toBe(ok);
    if (!verdict.ok && reason) expect(verdict.reason).toMatch(reason);
  });

  it('normalises the URL and says whether the host still needs resolving', () => {
    const named = parseBaseUrl('https://API.Example.com/v1/', strict);
    expect(named).toEqual({ ok: true, value: { url: 'https://api.example.com/v1', host: 'api.example.com', hostIsAddress: false, secure: true } });
    const literal = parseBaseUrl('http://127.0.0.1:7190', dev);
    expect(literal).toEqual({ ok: true, value: { url: 'http://127.0.0.1:7190', host: '127.0.0.1', hostIsAddress: true, secure: false } });
  });
});

describe('checkResolvedAddresses', () => {
  it('accepts a host whose addresses are all public', () => {
    expect(checkResolvedAddresses(['93.184.216.34', '2606:2800:220:1::1'], true, strict)).toEqual({ ok: true });
  });
  it('refuses when any address is not allowed (DNS pointing inside)', () => {
    const verdict = checkResolvedAddresses(['93.184.216.34', '169.254.169.254'], true, everything);
    expect(verdict).toEqual({ ok: false, reason: expect.stringMatching(/metadata/) });
    expect(checkResolvedAddresses(['10.0.0.1'], true, strict).ok).toBe(false);
    expect(checkResolvedAddresses(['10.0.0.1'], false, onPrem).ok).toBe(true);
  });
  it('refuses a host that does not resolve, and plain http to a public address', () => {
    expect(checkResolvedAddresses([], true, everything).ok).toBe(false);
    expect(checkResolvedAddresses(['93.184.216.34'], false, everything)).toEqual({ ok: false, reason: expect.stringMatching(/https/) });
  });
});
