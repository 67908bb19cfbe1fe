// Over real sockets: does every provider call through the egress client refuse a redirect (nothing reaches
// its Location), refuse a host name that resolves to a private or loopback address unless the allow
// setting permits it, connect to the resolved address while keeping the URL's Host, and re-check the
// policy when a new connection finds that DNS has changed?
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RelaySink } from '../metering/application/ports';
import { RawUpstream } from '../metering/infrastructure/raw-upstream';
import { EgressClient } from './egress-client';

interface Seen {
  host: string | undefined;
  path: string | undefined;
}

/** A local HTTP server that records what reached it; `answer` writes the reply. */
async function server(answer: (req: http.IncomingMessage, res: http.ServerResponse) => void) {
  const seen: Seen[] = [];
  const srv = http.createServer((req, res) => {
    seen.push({ host: req.headers.host, path: req.url });
    req.resume();
    req.on('end', () => answer(req, res));
  });
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const port = (srv.address() as AddressInfo).port;
  return { seen, port, close: () => new Promise<void>((resolve) => srv.close(() => resolve())) };
}

const completion = JSON.stringify({ id: 'c1', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: 'hi' }, finish_reason: 'stop' }], usage: { prompt_tokens: 1, completion_tokens: 1 } });
const ok = (_req: http.IncomingMessage, res: http.ServerResponse) => res.writeHead(200, { 'content-type': 'application/json', connection: 'close' }).end(completion);
const body = Buffer.from(JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'secret prompt' }] }));

function sink(): RelaySink & { bytes: string } {
  const collected = { bytes: '' };
  return Object.assign(collected, {
    clientGone: new AbortController().signal,
    head: () => undefined,
    chunk(bytes: Buffer) {
      collected.bytes += bytes.toString('utf8');
      return undefined;
    },
  });
}

const servers: Array<{ close: () => Promise<void> }> = [];
const clients: EgressClient[] = [];
const egress = (...args: ConstructorParameters<typeof EgressClient>) => {
  const client = new EgressClient(...args);
  clients.push(client);
  return client;
};

afterAll(async () => {
  for (const client of clients) client.close();
  for (const s of servers) await s.close();
});

describe('the egress client', () => {
  it('refuses a redirect: the 3xx is the answer, and nothing reaches its Location', async () => {
    const internal = await server(ok);
    const redirecting = await server((_req, res) => res.writeHead(307, { location: `http://127.0.0.1:${internal.port}/v1/chat/completions` }).end());
    servers.push(internal, redirecting);
    const client = egress({ policy: { allowPrivate: false, allowLoopback: true } });
    const endpoint = new RawUpstream({ provider: 'openai', baseUrl: `http://127.0.0.1:${redirecting.port}/v1`, apiKey: 'sk-egress-test' }, client);
    const outcome = await endpoint.relay(body, false, sink(), 2000);
    expect(outcome).toMatchObject({ providerAnswered: false, outcome: 'upstream_error', failure: { status: 307 } });
    expect(redirecting.seen).toEqual([{ host: `127.0.0.1:${redirecting.port}`, path: '/v1/chat/completions' }]);
    expect(internal.seen).toEqual([]);
  });

  it('refuses a host name that resolves to a loopback or private address, and sends nothing', async () => {
    const target = await server(ok);
    servers.push(target);
    const refusals: string[] = [];
    const answers: Record<string, string[]> = { 'provider.example.test': ['127.0.0.1'], 'intranet.example.test': ['10.0.0.7'] };
    const client = egress({ policy: { allowPrivate: false, allowLoopback: false }, dns: { resolve: async (host) => answers[host] ?? [] }, onRefused: (r) => refusals.push(r) });
    for (const host of Object.keys(answers)) {
      const endpoint = new RawUpstream({ provider: 'openai', baseUrl: `http://${host}:${target.port}/v1`, apiKey: 'sk-egress-test' }, client);
      const outcome = await endpoint.relay(body, false, sink(), 2000);
      expect(outcome).toMatchObject({ providerAnswered: false, outcome: 'upstream_error' });
    }
    expect(target.seen).toEqual([]);
    expect(refusals).toEqual([
      'base URL points to loopback (allowed only when ALLOW_LOOPBACK_BASE_URLS=true)',
      'base URL points to a private network address (allowed only when ALLOW_PRIVATE_BASE_URLS=true)',
    ]);
  });

  it('refuses an address literal or metadata name the policy forbids before any socket opens', async () => {
    const client = egress({ policy: { allowPrivate: true, allowLoopback: true } });
    for (const baseUrl of ['http://169.254.169.254/latest', 'http://metadata.google.internal/v1', 'http://[::ffff:169.254.169.254]/v1', 'http://user:pw@127.0.0.1/v1']) {
      const endpoint = new RawUpstream({ provider: 'openai', baseUrl, apiKey: 'sk-egress-test' }, client);
      expect(await endpoint.relay(body, false, sink(), 2000)).toMatchObject({ providerAnswered: false, outcome: 'upstream_error' });
    }
  });

  it('with the allow setting, connects to the resolved address and keeps the URL host; a changed DNS answer is re-checked on the next connection', async () => {
    const target = await server(ok);
    servers.push(target);
    let now = 0;
    const answers: Record<string, string[]> = { 'provider.example.test': ['127.0.0.1'] };
    const refusals: string[] = [];
    const client = egress({ policy: { allowPrivate: false, allowLoopback: true }, dns: { ttlMs: 1000, now: () => now, resolve: async (host) => answers[host] ?? [] }, onRefused: (r) => refusals.push(r) });
    const endpoint = new RawUpstream({ provider: 'openai', baseUrl: `http://provider.example.test:${target.port}/v1`, apiKey: 'sk-egress-test' }, client);
    const answered = sink();
    expect(await endpoint.relay(body, false, answered, 2000)).toEqual({ providerAnswered: true, outcome: 'ok', failure: undefined });
    expect(JSON.parse(answered.bytes)).toMatchObject({ id: 'c1' });
    expect(target.seen).toEqual([{ host: `provider.example.test:${target.port}`, path: '/v1/chat/completions' }]);

    // The server closes every connection, so the next request opens a new one and looks the name up again.
    answers['provider.example.test'] = ['10.0.0.7'];
    now = 1000;
    expect(await endpoint.relay(body, false, sink(), 2000)).toMatchObject({ providerAnswered: false, outcome: 'upstream_error' });
    expect(refusals).toEqual(['base URL points to a private network address (allowed only when ALLOW_PRIVATE_BASE_URLS=true)']);
    expect(target.seen).toHaveLength(1);
  });
});
