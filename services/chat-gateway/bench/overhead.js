'use strict';
// How much latency does chat-gateway add on top of the provider? Sends the same streamed chat
// straight to the fake upstream and through a real chat-gateway process (warm caches: session
// verified locally, settings and credential in memory, one Redis script, history writes), and
// prints time-to-first-delta and total time percentiles for both.
//
//   bash scripts/infra.sh up && npx tsc -b services/chat-gateway
//   node services/chat-gateway/bench/overhead.js [--requests 300] [--concurrency 8] [--chunk-delay-ms 0]
//
// Everything runs on this machine: the numbers compare the two paths, they are not an SLO.
const http = require('node:http');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { readFileSync } = require('node:fs');

const root = path.resolve(__dirname, '../../..');
const need = (m) => require(require.resolve(m, { paths: [root] }));
const grpc = need('@grpc/grpc-js');
const mongoose = need('mongoose');
const { tenantV1, keyVaultV1 } = need('@enclave/proto');
const { generateServiceKeypair } = need('@enclave/platform');
const { testSessions } = need('@enclave/session');
const { start: startUpstream } = require(path.join(root, 'loadtests/fake-upstream/server.js'));

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const REQUESTS = arg('requests', 300);
const CONCURRENCY = arg('concurrency', 8);
const CHUNK_DELAY_MS = arg('chunk-delay-ms', 0);
const KEY = 'sk-bench-0001';
const CONTENT = 'measure the gateway overhead on a short streamed answer please';

function infraEnv() {
  const text = readFileSync(path.join(process.env.ENCLAVE_HOME || path.join(root, '.enclave'), 'infra.env'), 'utf8');
  return Object.fromEntries(text.split('\n').filter((l) => /^[A-Z_]+=/.test(l)).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
}

async function startPeers(upstreamUrl) {
  const server = new grpc.Server();
  const settings = { instanceName: 'bench', systemInstruction: 'You are a benchmark.', messageLogging: false, privacyPolicyUrl: '', defaultModel: 'gpt-4o-mini', allowedModels: [] };
  server.addService(tenantV1.TenantServiceService, { getTenantSettings: (call, cb) => cb(null, { tenantId: call.request.tenantId, settings, version: 1 }) });
  server.addService(keyVaultV1.KeyVaultServiceService, {
    getProviderCredential: (_call, cb) => cb(null, { keyId: 'bench', keyVersion: 1, provider: 'openai', baseUrl: upstreamUrl, apiKey: KEY }),
  });
  // History is sealed with the member's subject key (one call per member, then cached).
  const subjectKey = require('node:crypto').randomBytes(32);
  server.addService(keyVaultV1.SubjectKeyServiceService, { getSubjectKey: (_call, cb) => cb(null, { keyId: 'bench-subject', key: subjectKey }) });
  const port = await new Promise((ok, fail) => server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) => (e ? fail(e) : ok(p))));
  return { address: `127.0.0.1:${port}`, stop: () => server.forceShutdown() };
}

/** One streamed request; resolves with ms to the first content byte and ms to the end. */
async function timed(url, init, isContent) {
  const started = performance.now();
  const response = await fetch(url, init);
  if (response.status !== 200) throw new Error(`HTTP ${response.status}: ${await response.text()}`);
  const decoder = new TextDecoder();
  let first;
  for await (const part of response.body) {
    if (first === undefined && isContent(decoder.decode(part, { stream: true }))) first = performance.now() - started;
  }
  return { ttfb: first ?? performance.now() - started, total: performance.now() - started };
}

async function run(label, count, concurrency, makeRequest) {
  const samples = [];
  let next = 0;
  const worker = async (w) => {
    while (next < count) {
      next += 1;
      samples.push(await makeRequest(w));
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)));
  const seconds = (performance.now() - started) / 1000;
  const pct = (key, p) => {
    const sorted = samples.map((s) => s[key]).sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
  };
  return { label, rps: count / seconds, ttfb50: pct('ttfb', 50), ttfb95: pct('ttfb', 95), total50: pct('total', 50), total95: pct('total', 95) };
}

async function main() {
  const infra = infraEnv();
  const upstream = await startUpstream({ port: 0, keys: [KEY], chunkDelayMs: CHUNK_DELAY_MS });
  const peers = await startPeers(upstream.url);
  const sessions = testSessions();
  const jwks = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(sessions.jwks)));
  await new Promise((ok) => jwks.listen(0, '127.0.0.1', ok));
  const db = `chat_gateway_bench_${Date.now()}`;
  const port = 17_000 + Math.floor(Math.random() * 900);
  const gateway = spawn(process.execPath, [path.join(root, 'services/chat-gateway/dist/main.js')], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env, HTTP_PORT: String(port), MONGO_URL: infra.MONGO_URL, MONGO_DB: db, REDIS_URL: infra.REDIS_URL,
      KAFKA_BROKERS: infra.KAFKA_BROKERS, AUTH_JWKS_URL: `http://127.0.0.1:${jwks.address().port}/jwks`,
      SERVICE_PRIVATE_KEY: generateServiceKeypair().privateKey, TENANT_GRPC_ADDR: peers.address, KEY_VAULT_GRPC_ADDR: peers.address,
      RATE_LIMIT_PER_MINUTE: '1000000', CONTEXT_MESSAGES: '0', LOG_LEVEL: 'warn', GRPC_ENABLED: 'false',
      ALLOW_LOOPBACK_BASE_URLS: 'true', // the fake upstream listens on loopback
    },
  });
  const base = `http://127.0.0.1:${port}`;
  try {
    for (let i = 0; ; i += 1) {
      const ready = await fetch(`${base}/readyz`).then((r) => r.status === 200, () => false);
      if (ready) break;
      if (i > 150) throw new Error('chat-gateway did not become ready');
      await new Promise((ok) => setTimeout(ok, 200));
    }
    const tenantId = `bench-${Date.now()}`;
    const members = await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        const { token } = sessions.mint({ tenantId, role: 'member' });
        const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
        const created = await fetch(`${base}/v1/conversations`, { method: 'POST', headers, body: '{}' }).then((r) => r.json());
        return { headers, url: `${base}/v1/conversations/${created.id}/messages` };
      }),
    );
    const viaGateway = (w) => timed(members[w].url, { method: 'POST', headers: members[w].headers, body: JSON.stringify({ content: CONTENT }) }, (t) => t.includes('event: delta'));
    const direct = () =>
      timed(`${upstream.url}/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-4o-mini', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'system', content: 'You are a benchmark.' }, { role: 'user', content: CONTENT }] }),
      }, (t) => t.includes('"content":"E'));

    await run('warm-up', 40, CONCURRENCY, viaGateway);
    const results = [await run('upstream direct', REQUESTS, CONCURRENCY, direct), await run('via chat-gateway', REQUESTS, CONCURRENCY, viaGateway)];
    console.log(`${REQUESTS} streamed chats, concurrency ${CONCURRENCY}, chunk delay ${CHUNK_DELAY_MS} ms`);
    console.table(results.map((r) => ({
      path: r.label, 'req/s': r.rps.toFixed(0), 'first delta p50 ms': r.ttfb50.toFixed(1), 'first delta p95 ms': r.ttfb95.toFixed(1),
      'total p50 ms': r.total50.toFixed(1), 'total p95 ms': r.total95.toFixed(1),
    })));
    console.log(`added latency to first delta (p50): ${(results[1].ttfb50 - results[0].ttfb50).toFixed(1)} ms`);
  } finally {
    gateway.kill('SIGTERM');
    await new Promise((ok) => gateway.once('exit', ok));
    const connection = await mongoose.createConnection(infra.MONGO_URL, { dbName: db }).asPromise();
    await connection.dropDatabase().catch(() => undefined);
    await connection.close();
    peers.stop();
    jwks.close();
    await upstream.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
