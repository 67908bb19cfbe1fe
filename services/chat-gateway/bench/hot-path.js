'use strict';
// How much does chat-gateway's OpenAI-compatible API add over calling the provider directly, and
// how does its throughput compare with the Portkey gateway on this machine? Everything on
// loopback: a zero-latency fake upstream (own process), chat-gateway from dist/ (own process;
// virtual-key auth, tenant quota + key limits in Redis, credential and settings caches, usage
// micro-batched to the event store and relayed to Kafka, telemetry on: all as in production),
// Portkey's gateway (own process), and a closed-loop load generator (bench/load.js) here.
//
//   bash scripts/infra.sh up && npx tsc -b services/chat-gateway
//   node services/chat-gateway/bench/hot-path.js [--duration 10] [--latency-duration 5] [--concurrency 32]
//        [--skip-portkey] [--profile]   (--profile: a CPU profile of the gateway into .enclave/profiles)
//
// Per target and mode (whole JSON answer, SSE stream): latency at concurrency 1 (what one call
// pays) and throughput at --concurrency (what the process sustains), then the targets:
// +1 ms p50 and +3 ms p99 over direct, and at least 2x Portkey's requests per second.
const http = require('node:http');
const path = require('node:path');
const { existsSync, mkdirSync } = require('node:fs');
const { runLoad } = require('./load');
const { root, enclaveHome, infraEnv, freePort, launcher, waitUntil, httpOk, startPortkey, portkeyHeaders, cpuSeconds, table } = require('./bench-support');

const need = (m) => require(require.resolve(m, { paths: [root] }));
const grpc = need('@grpc/grpc-js');
const mongoose = need('mongoose');
const { Redis } = need('ioredis');
const { tenantV1, keyVaultV1 } = need('@enclave/proto');
const { generateServiceKeypair } = need('@enclave/platform');
const { testSessions } = need('@enclave/session');

const argv = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : fallback;
};
const DURATION_MS = arg('duration', 10) * 1000;
const LATENCY_MS = arg('latency-duration', 5) * 1000;
const CONCURRENCY = arg('concurrency', 32);
const SKIP_PORTKEY = argv.includes('--skip-portkey');
const PROFILE = argv.includes('--profile');
const KEY = 'sk-bench-hot-path-0001';
const INSTRUCTION = 'You are a concise assistant for the benchmark tenant.';
const QUESTION = 'measure the gateway overhead on a short answer please';
const { children, start } = launcher();

async function startPeers(upstreamUrl) {
  const server = new grpc.Server();
  const settings = { instanceName: 'bench', systemInstruction: INSTRUCTION, messageLogging: false, privacyPolicyUrl: '', defaultModel: 'gpt-4o-mini', allowedModels: ['gpt-4o-mini', 'gpt-4o'] };
  server.addService(tenantV1.TenantServiceService, { getTenantSettings: (call, cb) => cb(null, { tenantId: call.request.tenantId, settings, version: 1 }) });
  server.addService(keyVaultV1.KeyVaultServiceService, {
    getProviderCredential: (_call, cb) => cb(null, { keyId: 'bench', keyVersion: 1, provider: 'openai', baseUrl: upstreamUrl, apiKey: KEY }),
  });
  const port = await new Promise((ok, fail) => server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) => (e ? fail(e) : ok(p))));
  return { address: `127.0.0.1:${port}`, stop: () => server.forceShutdown() };
}

async function main() {
  const infra = infraEnv();
  const upstreamPort = await freePort();
  const upstreamProcess = start('fake-upstream', [path.join(root, 'loadtests/fake-upstream/server.js')], { FAKE_UPSTREAM_PORT: String(upstreamPort), FAKE_UPSTREAM_KEYS: KEY, FAKE_UPSTREAM_CHUNK_DELAY_MS: '0' });
  const upstreamUrl = `http://127.0.0.1:${upstreamPort}/v1`;
  await waitUntil('fake upstream', () => httpOk(`http://127.0.0.1:${upstreamPort}/healthz`));

  const peers = await startPeers(upstreamUrl);
  const sessions = testSessions();
  const jwks = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(sessions.jwks)));
  await new Promise((ok) => jwks.listen(0, '127.0.0.1', ok));
  const db = `chat_gateway_hot_path_${Date.now()}`;
  const gatewayPort = await freePort();
  const profileDir = path.join(enclaveHome, 'profiles');
  if (PROFILE) mkdirSync(profileDir, { recursive: true });
  const profileFile = path.join(profileDir, `chat-gateway-${Date.now()}.cpuprofile`);
  const gateway = start('chat-gateway', [...(PROFILE ? ['--require', path.join(__dirname, 'cpu-profile-preload.js')] : []), path.join(root, 'services/chat-gateway/dist/main.js')], {
    HOT_PATH_PROFILE: profileFile,
    HTTP_PORT: String(gatewayPort), MONGO_URL: infra.MONGO_URL, MONGO_DB: db, REDIS_URL: infra.REDIS_URL, KAFKA_BROKERS: infra.KAFKA_BROKERS,
    AUTH_JWKS_URL: `http://127.0.0.1:${jwks.address().port}/jwks`, SERVICE_PRIVATE_KEY: generateServiceKeypair().privateKey,
    TENANT_GRPC_ADDR: peers.address, KEY_VAULT_GRPC_ADDR: peers.address, LOG_LEVEL: 'warn', GRPC_ENABLED: 'false',
    ALLOW_LOOPBACK_BASE_URLS: 'true', // the fake upstream listens on loopback
    VIRTUAL_KEY_PEPPER: require('node:crypto').randomBytes(32).toString('base64'),
  });
  const base = `http://127.0.0.1:${gatewayPort}`;
  const redis = new Redis(infra.REDIS_URL);
  const tenantId = `bench-${Date.now()}`;
  let portkeyPort;
  let portkey;
  try {
    await waitUntil('chat-gateway', () => httpOk(`${base}/readyz`));
    const { token } = sessions.mint({ tenantId, role: 'admin' });
    const created = await fetch(`${base}/v1/tenants/${tenantId}/virtual-keys`, {
      method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ label: 'bench', rateLimitPerMinute: 1_000_000, monthlyTokenLimit: 1_000_000_000_000 }),
    }).then((r) => r.json());
    if (!created.key) throw new Error(`virtual key not created: ${JSON.stringify(created)}`);
    await redis.set(`enclave:quota-limit:${tenantId}`, String(1e15)); // the tenant quota is checked, never reached

    if (!SKIP_PORTKEY) {
      portkeyPort = await freePort();
      portkey = await startPortkey(start, portkeyPort);
    }

    const targets = (stream) => {
      const upstreamBody = JSON.stringify({
        model: 'gpt-4o-mini', messages: [{ role: 'system', content: INSTRUCTION }, { role: 'user', content: QUESTION }],
        ...(stream && { stream: true, stream_options: { include_usage: true } }),
      });
      const list = [
        { name: 'direct (a)', process: upstreamProcess, url: `${upstreamUrl}/chat/completions`, headers: { authorization: `Bearer ${KEY}` }, body: upstreamBody },
        { name: 'chat-gateway (b)', process: gateway, url: `${base}/v1/chat/completions`, headers: { authorization: `Bearer ${created.key}` },
          body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: QUESTION }], ...(stream && { stream: true }) }) },
      ];
      if (portkeyPort) {
        list.push({ name: 'portkey (c)', process: portkey, url: `http://127.0.0.1:${portkeyPort}/v1/chat/completions`, body: upstreamBody,
          headers: portkeyHeaders(KEY, upstreamUrl) });
      }
      return list;
    };
    const check = (stream) => (stream ? (_s, text) => text.includes('data: [DONE]') && text.includes('"usage":{') : (_s, text) => text.includes('"content":"Echo'));

    const results = [];
    for (const stream of [false, true]) {
      for (const target of targets(stream)) {
        const common = { url: target.url, headers: target.headers, body: target.body, check: check(stream) };
        const warm = await runLoad({ ...common, concurrency: CONCURRENCY, durationMs: 1500 });
        if (warm.requests === 0) throw new Error(`${target.name} answers nothing: ${warm.firstError}`);
        const latency = await runLoad({ ...common, concurrency: 1, durationMs: LATENCY_MS });
        const cpuBefore = cpuSeconds(target.process);
        const load = await runLoad({ ...common, concurrency: CONCURRENCY, durationMs: DURATION_MS });
        const cpuUs = ((cpuSeconds(target.process) - cpuBefore) * 1e6) / Math.max(1, load.requests);
        results.push({ mode: stream ? 'stream' : 'json', target: target.name, latency, load, cpuUs });
      }
    }

    if (PROFILE) {
      gateway.kill('SIGUSR2');
      await waitUntil('the cpu profile', async () => existsSync(profileFile), 30_000);
      console.log(`cpu profile of chat-gateway: ${path.relative(root, profileFile)} (open in Chrome DevTools)`);
    }
    const ms = (n) => (Number.isFinite(n) ? n.toFixed(2) : 'n/a');
    console.log(`\nchat completions on loopback, zero-latency upstream; latency at concurrency 1 (${LATENCY_MS / 1000}s), throughput at concurrency ${CONCURRENCY} (${DURATION_MS / 1000}s)`);
    table(results.map((r) => ({
      mode: r.mode, target: r.target, 'c1 p50 ms': ms(r.latency.p50), 'c1 p99 ms': ms(r.latency.p99),
      [`c${CONCURRENCY} req/s`]: r.load.rps.toFixed(0), [`c${CONCURRENCY} p50 ms`]: ms(r.load.p50), [`c${CONCURRENCY} p99 ms`]: ms(r.load.p99),
      'server CPU us/req': Number.isFinite(r.cpuUs) ? r.cpuUs.toFixed(0) : 'n/a',
      errors: r.latency.errors + r.load.errors,
    })));
    console.log('server CPU = CPU time of the process answering (fake upstream for direct): per request, independent of other load on the machine');
    console.log('');
    let allMet = true;
    for (const mode of ['json', 'stream']) {
      const of = (prefix) => results.find((r) => r.mode === mode && r.target.startsWith(prefix));
      const [a, b, c] = [of('direct'), of('chat-gateway'), of('portkey')];
      const addedP50 = b.latency.p50 - a.latency.p50;
      const addedP99 = b.latency.p99 - a.latency.p99;
      const ratio = c ? b.load.rps / c.load.rps : NaN;
      const met = { p50: addedP50 <= 1, p99: addedP99 <= 3, rps: c ? ratio >= 2 : undefined };
      allMet &&= met.p50 && met.p99 && met.rps !== false;
      console.log(`${mode.padEnd(6)} added by chat-gateway: p50 +${ms(addedP50)} ms (target <= 1: ${met.p50 ? 'met' : 'MISSED'}), p99 +${ms(addedP99)} ms (target <= 3: ${met.p99 ? 'met' : 'MISSED'}); ` +
        (c ? `req/s vs Portkey: ${ratio.toFixed(2)}x (target >= 2x: ${met.rps ? 'met' : 'MISSED'})` : 'Portkey skipped'));
    }
    console.log(allMet ? '\nall targets met' : '\nSOME TARGETS MISSED');
    process.exitCode = allMet ? 0 : 3;
  } finally {
    for (const child of children) {
      child.stopping = true;
      child.kill('SIGTERM');
    }
    await Promise.all(children.map((c) => (c.exitCode !== null ? undefined : new Promise((ok) => c.once('exit', ok)))));
    await redis.del(`enclave:quota-limit:${tenantId}`).catch(() => undefined);
    redis.disconnect();
    const connection = await mongoose.createConnection(infra.MONGO_URL, { dbName: db }).asPromise();
    await connection.dropDatabase().catch(() => undefined);
    await connection.close();
    peers.stop();
    jwks.close();
  }
}

main().catch((error) => {
  console.error(error);
  for (const child of children) child.kill('SIGKILL');
  process.exit(1);
});
