'use strict';
// What the chat-gateway benchmarks share: the local infrastructure's settings, free loopback
// ports, child processes they start and stop, readiness polling, Portkey's gateway from npm,
// and a plain text table. Node built-ins only.
const net = require('node:net');
const path = require('node:path');
const { spawn, execFileSync } = require('node:child_process');
const { existsSync, readFileSync, writeFileSync, mkdirSync } = require('node:fs');

const root = path.resolve(__dirname, '../../..');
const enclaveHome = process.env.ENCLAVE_HOME || path.join(root, '.enclave');
const PORTKEY_VERSION = '1.15.2';

function infraEnv() {
  const file = path.join(enclaveHome, 'infra.env');
  if (!existsSync(file)) throw new Error('no .enclave/infra.env: run `bash scripts/infra.sh up` first');
  const text = readFileSync(file, 'utf8');
  return Object.fromEntries(text.split('\n').filter((l) => /^[A-Z_]+=/.test(l)).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Whether something already accepts connections on 127.0.0.1:port (1 s at most). */
function portInUse(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const done = (used) => {
      socket.destroy();
      resolve(used);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Starts Node child processes (stderr tail kept for a crash message) and stops them all. */
function launcher() {
  const children = [];
  const start = (name, args, env) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env } });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
    child.on('exit', (code) => {
      if (code && !child.stopping) console.error(`${name} exited with ${code}:\n${stderr}`);
    });
    children.push(child);
    return child;
  };
  /** SIGTERM to each, SIGKILL after 10 s; resolves when all exited. */
  const stopAll = () =>
    Promise.all(children.map((child) => {
      child.stopping = true;
      if (child.exitCode !== null || child.signalCode !== null) return undefined;
      return new Promise((ok) => {
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(timer);
          ok();
        });
        child.kill('SIGTERM');
      });
    }));
  const killAll = () => children.forEach((child) => child.kill('SIGKILL'));
  return { children, start, stopAll, killAll };
}

async function waitUntil(what, probe, timeoutMs = 60_000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await probe().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what} did not become ready`);
}

const httpOk = (url) => fetch(url, { signal: AbortSignal.timeout(5_000) }).then((r) => r.status === 200);

/** Portkey from npm into .enclave/portkey (once), run under Node with a one-line fetch shim. */
async function startPortkey(start, port) {
  const prefix = path.join(enclaveHome, 'portkey');
  const entry = path.join(prefix, 'node_modules/@portkey-ai/gateway/build/start-server.js');
  if (!existsSync(entry)) {
    console.log(`installing @portkey-ai/gateway@${PORTKEY_VERSION} into ${path.relative(root, prefix)} …`);
    mkdirSync(prefix, { recursive: true });
    execFileSync('npm', ['install', '--prefix', prefix, '--no-save', '--no-audit', '--no-fund', `@portkey-ai/gateway@${PORTKEY_VERSION}`], { stdio: 'inherit' });
  }
  // Portkey 1.15.2 appends headers to the provider's fetch Response, whose headers Node 24's
  // fetch makes immutable: every streamed answer fails ("TypeError: immutable"). The shim
  // re-wraps each fetch Response (same body stream, mutable headers); cost: one object per call.
  const shim = path.join(prefix, 'fetch-shim.mjs');
  writeFileSync(shim, [
    'const original = globalThis.fetch;',
    'globalThis.fetch = async (...args) => {',
    '  const r = await original(...args);',
    '  return new Response(r.body, { status: r.status, statusText: r.statusText, headers: r.headers });',
    '};',
    '',
  ].join('\n'));
  const child = start('portkey', ['--import', shim, entry, `--port=${port}`, '--headless'], { NODE_ENV: 'production' });
  await waitUntil('portkey', () => httpOk(`http://127.0.0.1:${port}/`).catch(() => false).then((ok) => ok || fetch(`http://127.0.0.1:${port}/v1/models`).then(() => true)));
  return child;
}

/** Headers that send an OpenAI-style request through Portkey to `upstreamUrl` (a /v1 base). */
function portkeyHeaders(apiKey, upstreamUrl) {
  return { authorization: `Bearer ${apiKey}`, 'x-portkey-provider': 'openai', 'x-portkey-custom-host': upstreamUrl };
}

/** CPU seconds (user + system) a child process used so far, from /proc (Linux). */
function cpuSeconds(child) {
  try {
    const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in USER_HZ ticks (100/s)
  } catch {
    return NaN;
  }
}

function table(rows, print = console.log) {
  if (rows.length === 0) return;
  const cols = Object.keys(rows[0]);
  const width = cols.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c]).length)));
  const line = (cells) => cells.map((c, i) => (i === 0 ? String(c).padEnd(width[i]) : String(c).padStart(width[i]))).join('  ');
  print(line(cols));
  for (const r of rows) print(line(cols.map((c) => r[c])));
}

module.exports = { root, enclaveHome, PORTKEY_VERSION, infraEnv, freePort, portInUse, launcher, waitUntil, httpOk, startPortkey, portkeyHeaders, cpuSeconds, table };
