// Does the guard refuse host names that resolve inside, and pass ones that resolve outside?
import { ValidationError } from '@enclave/platform';
import { BaseUrlGuard } from './base-url-guard';
import type { HostResolver } from './ports';

const dns: Record<string, string[]> = {
  'api.example.com': ['93.184.216.34'],
  'rebind.example.com': ['93.184.216.34', '169.254.169.254'],
  'internal.example.com': ['10.0.0.7'],
};
const resolver: HostResolver = { lookup: async (host) => dns[host] ?? [] };

describe('BaseUrlGuard', () => {
  const strict = new BaseUrlGuard({ allowPrivate: false, allowLoopback: false }, resolver);
  const onPrem = new BaseUrlGuard({ allowPrivate: true, allowLoopback: false }, resolver);

  it('returns the normalised URL of a public host', async () => {
    await expect(strict.check('https://API.example.com/v1/')).resolves.toBe('https://api.example.com/v1');
  });

  it.each([
    ['rebind.example.com', /metadata/],
    ['internal.example.com', /private/],
    ['nowhere.example.com', /does not resolve/],
  ])('refuses %s', async (host, reason) => {
    const attempt = strict.check(`https://${host}/v1`);
    await expect(attempt).rejects.toThrow(ValidationError);
    await expect(strict.check(`https://${host}/v1`)).rejects.toThrow(reason);
  });

  it('accepts a private host when private base URLs are allowed', async () => {
    await expect(onPrem.check('http://internal.example.com:8000/v1')).resolves.toBe('http://internal.example.com:8000/v1');
  });

  it('never resolves address literals', async () => {
    const counting: HostResolver = { lookup: jest.fn(async () => []) };
    await expect(new BaseUrlGuard({ allowPrivate: true, allowLoopback: false }, counting).check('http://10.1.1.1/v1')).resolves.toBe('http://10.1.1.1/v1');
    expect(counting.lookup).not.toHaveBeenCalled();
  });

  it('resolve() returns the checked addresses to pin the connection to, and refuses what check() refuses', async () => {
    await expect(strict.resolve('https://api.example.com/v1')).resolves.toEqual({ url: 'https://api.example.com/v1', host: 'api.example.com', addresses: ['93.184.216.34'] });
    await expect(onPrem.resolve('http://10.1.1.1:8000/v1')).resolves.toEqual({ url: 'http://10.1.1.1:8000/v1', host: '10.1.1.1', addresses: ['10.1.1.1'] });
    await expect(strict.resolve('https://rebind.example.com/v1')).rejects.toThrow(/metadata/);
    await expect(strict.resolve('http://169.254.169.254/')).rejects.toThrow(ValidationError);
  });
});
