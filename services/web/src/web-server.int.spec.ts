// The web server on loopback in front of a stand-in service: what the browser gets back.
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { SERVICE_NAMES, type ServiceName } from './service-routes';
import { createWebServer } from './web-server';

const listen = (server: Server) =>
  new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));

describe('web server', () => {
  let upstream: Server;
  let web: Server;
  let base = '';
  const seen: Array<{ method: string; url: string; headers: IncomingHttpHeaders }> = [];
  let releaseSecondEvent: () => void = () => undefined;

  beforeAll(async () => {
    upstream = createServer((req, res) => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
      if (req.url === '/v1/conversations/c1/messages') {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write('event: delta\ndata: {"content":"first"}\n\n');
        releaseSecondEvent = () => {
          if (!res.writableEnded) res.end('event: done\ndata: {}\n\n');
        };
        return;
      }
      if (req.url === '/v1/auth/sessions') {
        res.writeHead(200, { 'content-type': 'application/json', 'set-cookie': 'enclave_session=jwt; HttpOnly' });
        res.end(JSON.stringify({ token: 'secret-access', refreshToken: 'secret-refresh', role: 'member' }));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json', 'x-frame-options': 'SAMEORIGIN' });
      res.end(JSON.stringify({ ok: true }));
    });
    const upstreamPort = await listen(upstream);
    const staticDir = mkdtempSync(join(tmpdir(), 'web-static-'));
    mkdirSync(join(staticDir, 'assets'));
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>console</title>');
    writeFileSync(join(staticDir, 'assets', 'app-1.js'), 'console.log(1)');
    const services = Object.fromEntries(SERVICE_NAMES.map((n) => [n, `http://127.0.0.1:${upstreamPort}`])) as Record<ServiceName, string>;
    web = createWebServer({ host: '127.0.0.1', port: 0, services, staticDir });
    base = `http://127.0.0.1:${await listen(web)}`;
  });

  afterAll(async () => {
    releaseSecondEvent();
    web.closeAllConnections();
    upstream.closeAllConnections();
    await Promise.all([new Promise((r) => web.close(r)), new Promise((r) => upstream.close(r))]);
  });

  it('serves the app with its security headers, index.html for client routes, assets cached', async () => {
    const page = await fetch(`${base}/chat/abc`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>console</title>');
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(page.headers.get('cache-control')).toBe('no-store');
    const asset = await fetch(`${base}/assets/app-1.js`);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect((await fetch(`${base}/assets/missing.js`)).status).toBe(404);
    expect((await fetch(`${base}/assets/..%2f..%2f..%2fetc%2fpasswd`)).status).toBe(404);
  });

  it('proxies /v1 by path, with its own headers over the service ones; unknown routes are 404', async () => {
    const res = await fetch(`${base}/v1/tenants/t1/usage?month=2026-12`);
    expect(await res.json()).toEqual({ ok: true });
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(seen.at(-1)).toMatchObject({ method: 'GET', url: '/v1/tenants/t1/usage?month=2026-12' });
    expect(seen.at(-1)!.headers['x-forwarded-for']).toBe('127.0.0.1');
    const unknown = await fetch(`${base}/v1/nowhere`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: 'not_found' });
  });

  it('refuses a cross-site state change before it reaches a service', async () => {
    const before = seen.length;
    const res = await fetch(`${base}/v1/conversations`, { method: 'POST', headers: { cookie: 'enclave_session=x', origin: 'https://evil.example', 'x-enclave-csrf': '1' } });
    expect(res.status).toBe(403);
    expect(seen.length).toBe(before);
  });

  it("keeps the console's sign-in tokens in the cookies only; API clients still get them", async () => {
    const headers = { 'content-type': 'application/json', origin: base, 'x-enclave-csrf': '1' };
    const browser = await fetch(`${base}/v1/auth/sessions`, { method: 'POST', headers, body: '{"token":"t"}' });
    expect(await browser.json()).toEqual({ role: 'member' });
    expect(browser.headers.get('set-cookie')).toContain('HttpOnly');
    const api = await fetch(`${base}/v1/auth/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"token":"t"}' });
    expect(await api.json()).toMatchObject({ token: 'secret-access' });
  });

  it('passes a server-sent event through before the stream ends', async () => {
    const first = await new Promise<string>((resolve, reject) => {
      const req = request(`${base}/v1/conversations/c1/messages`, { method: 'POST', headers: { authorization: 'Bearer t' } }, (res) => {
        res.setEncoding('utf8');
        res.once('data', (chunk: string) => resolve(chunk)); // the stand-in has not ended the stream yet
      });
      req.on('error', reject);
      req.end('{}');
    });
    expect(first).toContain('"first"');
    releaseSecondEvent();
  });
});
