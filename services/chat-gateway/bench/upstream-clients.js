'use strict';
// Which client should the gateway use to talk to the provider? Same streamed completion against
// the fake upstream (own process, zero latency) with node:http (keep-alive agent), fetch, and the
// openai SDK, each reading the whole stream; prints requests/s and client CPU per request.
//   node services/chat-gateway/bench/upstream-clients.js [--seconds 3] [--concurrency 16]
const http = require('node:http');
const path = require('node:path');
const { spawn } = require('node:child_process');
const root = path.resolve(__dirname, '../../..');
const OpenAI = require(require.resolve('openai', { paths: [root] })).default;

const arg = (n, d) => (process.argv.includes(`--${n}`) ? Number(process.argv[process.argv.indexOf(`--${n}`) + 1]) : d);
const SECONDS = arg('seconds', 3);
const CONCURRENCY = arg('concurrency', 16);
const KEY = 'sk-bench-clients';
const PORT = 17_000 + Math.floor(Math.random() * 900);
const base = `http://127.0.0.1:${PORT}/v1`;
const body = JSON.stringify({ model: 'gpt-4o-mini', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'compare the clients on a short streamed answer' }] });

const agent = new http.Agent({ keepAlive: true, scheduling: 'lifo' });
const viaHttp = () => new Promise((resolve, reject) => {
  const req = http.request(`${base}/chat/completions`, { method: 'POST', agent, headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
    res.on('data', () => undefined);
    res.on('end', resolve);
  });
  req.on('error', reject);
  req.end(body);
});
const viaFetch = async () => {
  const res = await fetch(`${base}/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }, body });
  for await (const _ of res.body) void _;
};
const sdk = new OpenAI({ apiKey: KEY, baseURL: base, maxRetries: 0 });
const viaSdk = async () => {
  const stream = await sdk.chat.completions.create(JSON.parse(body));
  for await (const _ of stream) void _;
};

async function measure(name, once) {
  for (let i = 0; i < 50; i += 1) await once();
  const cpu = process.cpuUsage();
  const until = performance.now() + SECONDS * 1000;
  let count = 0;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (performance.now() < until) {
      await once();
      count += 1;
    }
  }));
  const used = process.cpuUsage(cpu);
  console.log(`${name.padEnd(10)} ${(count / SECONDS).toFixed(0).padStart(6)} req/s  ${((used.user + used.system) / count).toFixed(0).padStart(5)} us client CPU/req`);
}

(async () => {
  const upstream = spawn(process.execPath, [path.join(root, 'loadtests/fake-upstream/server.js')], { env: { ...process.env, FAKE_UPSTREAM_PORT: String(PORT), FAKE_UPSTREAM_KEYS: KEY }, stdio: 'ignore' });
  try {
    for (let i = 0; i < 50; i += 1) {
      if (await fetch(`http://127.0.0.1:${PORT}/healthz`).then((r) => r.ok, () => false)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await measure('node:http', viaHttp);
    await measure('fetch', viaFetch);
    await measure('openai SDK', viaSdk);
  } finally {
    upstream.kill('SIGTERM');
    agent.destroy();
  }
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
