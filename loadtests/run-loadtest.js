'use strict';
// `npm run loadtest`: a short, bounded k6 run on loopback, chat WITH streaming (a member's
// conversation, SSE through the gateway) and WITHOUT (the gateway's OpenAI-compatible
// /v1/chat/completions JSON answer with a tenant virtual key). Prints RPS and
// p50/p95/p99 per mode; exits non-zero when a threshold (SLO) fails.
//   1. ensures k6 (scripts/k6.sh → .enclave/bin/k6)
//   2. starts the fake upstream + six services on their own port base with a fresh db prefix
//      (gateway rate limit raised), unless LOADTEST_PORT_BASE (a running scripts/start.sh stack)
//      or LOADTEST_BASE_URL (one origin routing every /v1 path, e.g. an ingress) is given
//   3. signs in members through the emailed links (SMTP catcher), stores a provider key for the
//      fake upstream, sets an unlimited quota, creates one conversation per VU
//   4. runs loadtests/k6/<LOADTEST_SCRIPT>.js (smoke | load | spike; default load) per mode
//   5. after the load, waits until billing's usage report and audit's trail hold every chat the
//      gateway answered and prints that DRAIN time, the peak resident memory of each process
//      during the load and the drain, and the stack's idle CPU (memory and CPU only for a stack
//      it started; services/chat-gateway/bench/stack-meter.js, shared with `npm run bench`)
//   6. stops what it started and drops the run's databases (LOADTEST_KEEP_DATA=true keeps them)
// Env: LOADTEST_SCRIPT, LOADTEST_MODES (stream,json), LOAD_VUS (5), LOAD_SECONDS (14),
// SPIKE_VUS (15), SPIKE_BASE_VUS (2), SMOKE_SECONDS (10), SLO_P95_MS / SLO_P99_MS,
// LOADTEST_UPSTREAM_URL (with LOADTEST_BASE_URL), LOADTEST_OPERATOR_TOKEN (default: local secrets),
// LOADTEST_DRAIN_CAP_SECONDS (300), LOADTEST_IDLE_SECONDS (10).
const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const stack = require('../scripts/local-stack.js');
const { provisionTenant, localUrls, ingressUrls, call } = require('../tests/e2e/support/provision.js');
const { startRunStack } = require('../services/chat-gateway/bench/run-stack.js');
const meter = require('../services/chat-gateway/bench/stack-meter.js');
const { lagMeter, auditCaughtUp } = require('../services/chat-gateway/bench/kafka-lag.js');

const ROOT = path.resolve(__dirname, '..');
const PORT_BASE = 27100;
const K6_TIME_LIMIT_MS = 180_000;
const SCRIPTS = ['smoke', 'load', 'spike'];

const log = (text) => console.log(`[loadtest] ${text}`);

function intEnv(name, fallback, max = 200) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new Error(`${name} must be an integer 1..${max}`);
  return n;
}

function assertLoopback(url, what) {
  const host = new URL(url).hostname;
  if (!['127.0.0.1', 'localhost', '[::1]', '::1'].includes(host) && process.env.LOADTEST_ALLOW_REMOTE !== 'true') {
    throw new Error(`${what} is not on loopback (${host}); set LOADTEST_ALLOW_REMOTE=true to load a remote stack on purpose`);
  }
}

function ensureK6() {
  const out = execFileSync('bash', [path.join(ROOT, 'scripts/k6.sh')], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  return out.toString().trim().split('\n').pop();
}

/** Starts the stack (or describes the running one): urlFor, URLs, and a stop function. */
async function targetStack(runId) {
  const infra = stack.readInfraEnv();
  if (process.env.LOADTEST_BASE_URL) {
    assertLoopback(process.env.LOADTEST_BASE_URL, 'LOADTEST_BASE_URL');
    const upstreamUrl = process.env.LOADTEST_UPSTREAM_URL;
    if (!upstreamUrl) throw new Error('LOADTEST_UPSTREAM_URL (the fake upstream /v1 base URL the stack can reach) is required with LOADTEST_BASE_URL');
    const urlFor = ingressUrls(process.env.LOADTEST_BASE_URL);
    return { urlFor, gatewayUrl: urlFor('chat-gateway', ''), upstreamUrl, infra, stop: async () => undefined, started: false };
  }
  if (process.env.LOADTEST_PORT_BASE) {
    const p = stack.ports(intEnv('LOADTEST_PORT_BASE', 7100, 65000));
    const urlFor = localUrls(p);
    return { urlFor, gatewayUrl: urlFor('chat-gateway', ''), upstreamUrl: `http://127.0.0.1:${p.upstream}/v1`, infra, stop: async () => undefined, started: false };
  }
  const running = await startRunStack({
    portBase: PORT_BASE,
    runId: `lt${runId}`,
    log,
    // One member may send RATE_LIMIT_PER_MINUTE chats a minute; a load test sends far more.
    extra: { 'chat-gateway': { RATE_LIMIT_PER_MINUTE: '1000000' } },
  });
  return {
    urlFor: running.urlFor,
    gatewayUrl: running.urlFor('chat-gateway', ''),
    upstreamUrl: running.upstreamUrl,
    infra: running.infra,
    procs: running.procs,
    groupIds: running.groupIds,
    started: true,
    stop: () => running.stop({ keepData: process.env.LOADTEST_KEEP_DATA === 'true' }),
  };
}

/** One streamed chat per member before measuring: first requests fill the gateway's caches. */
async function warmUp(target, members) {
  for (const member of members) {
    await call('POST', target.urlFor('chat-gateway', `/v1/conversations/${member.conversations[0]}/messages`), {
      token: member.token,
      body: { content: 'warm up' },
      expect: 200,
    });
  }
}

function runK6(k6, script, mode, dataFile, summaryFile, env) {
  return new Promise((resolve, reject) => {
    const args = ['run', '--quiet', '--no-color', '--env', `LOADTEST_DATA=${dataFile}`, '--env', `MODE=${mode}`, '--env', `SUMMARY_FILE=${summaryFile}`];
    for (const [k, v] of Object.entries(env)) args.push('--env', `${k}=${v}`);
    args.push(path.join(ROOT, 'loadtests/k6', `${script}.js`));
    const child = spawn(k6, args, { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, K6_NO_USAGE_REPORT: 'true' } });
    const timer = setTimeout(() => child.kill('SIGKILL'), K6_TIME_LIMIT_MS);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(signal ? 128 : code);
    });
  });
}

function report(mode, summaryFile, exitCode) {
  const data = JSON.parse(fs.readFileSync(summaryFile, 'utf8'));
  const v = (name, stat) => data.metrics[name]?.values?.[stat];
  return {
    mode: mode === 'stream' ? 'with streaming (gateway conversation SSE)' : 'without streaming (gateway /v1/chat/completions JSON)',
    chats: v('chats', 'count') ?? 0,
    answered: v('chats_answered', 'count') ?? 0,
    rps: (v('chats', 'rate') ?? 0).toFixed(1),
    p50: `${(v('chat_duration', 'p(50)') ?? 0).toFixed(1)} ms`,
    p95: `${(v('chat_duration', 'p(95)') ?? 0).toFixed(1)} ms`,
    p99: `${(v('chat_duration', 'p(99)') ?? 0).toFixed(1)} ms`,
    'ttfb p95': `${(v('chat_ttfb', 'p(95)') ?? 0).toFixed(1)} ms`,
    failed: `${((v('http_req_failed', 'rate') ?? 0) * 100).toFixed(2)}%`,
    correct: `${((v('chat_ok', 'rate') ?? 0) * 100).toFixed(2)}%`,
    slo: exitCode === 0 ? 'met' : `NOT met (k6 exit ${exitCode})`,
  };
}

/**
 * After the load: the drain (until billing and audit hold the `acked` chats), the peak memory
 * of each process the sampler watched, and the idle CPU of those processes once drained.
 */
async function afterLoad({ target, tenant, acked, sampler, processes, startedAt }) {
  const capMs = intEnv('LOADTEST_DRAIN_CAP_SECONDS', 300, 3600) * 1000;
  sampler.setPhase('drain');
  log(`drain: polling billing's usage report and audit's trail until they hold the ${acked} answered chats (cap ${capMs / 1000} s)`);
  const probes = meter.usageProbes({ urlFor: target.urlFor, tenantId: tenant.tenantId, token: tenant.admin.token, months: () => meter.monthsSince(startedAt) });
  // For a stack it started, the runner knows audit's consumer groups: their Kafka lag too.
  const lags = target.groupIds ? lagMeter(target.infra.KAFKA_BROKERS.split(',')) : undefined;
  const signals = lags ? auditCaughtUp(lags, target.groupIds) : {};
  const drain = await meter.waitForDrain({ acked, probes, signals, capMs, progress: log }).finally(() => lags?.close());
  const memory = sampler.stop();
  console.log('\nafter the load');
  meter.printDrain(drain, capMs);
  if (processes.length === 0) {
    console.log('(peak memory and idle CPU per process: only for a stack this runner started)');
    return;
  }
  meter.printMemory(memory, { start: 'before load', load: 'peak in load', drain: 'peak in drain' });
  const seconds = intEnv('LOADTEST_IDLE_SECONDS', 10, 120);
  const idle = await meter.cpuOver(processes, seconds);
  console.log(`idle CPU over ${idle.seconds.toFixed(1)} s after the drain${drain.drainMs === null ? ' (NOT drained: the stack may still be working)' : ''}`);
  meter.printCpu(idle);
}

async function main() {
  const script = process.env.LOADTEST_SCRIPT || 'load';
  if (!SCRIPTS.includes(script)) throw new Error(`LOADTEST_SCRIPT must be one of ${SCRIPTS.join(', ')}`);
  const modes = (process.env.LOADTEST_MODES || 'stream,json').split(',').map((m) => m.trim()).filter(Boolean);
  if (modes.length === 0 || modes.some((m) => m !== 'stream' && m !== 'json')) throw new Error('LOADTEST_MODES: stream and/or json');
  const shape = {
    LOAD_VUS: intEnv('LOAD_VUS', 5),
    LOAD_SECONDS: intEnv('LOAD_SECONDS', 14, 120),
    SPIKE_VUS: intEnv('SPIKE_VUS', 15),
    SPIKE_BASE_VUS: intEnv('SPIKE_BASE_VUS', 2),
    SMOKE_SECONDS: intEnv('SMOKE_SECONDS', 10, 120),
  };
  for (const name of ['SLO_P95_MS', 'SLO_P99_MS']) if (process.env[name]) shape[name] = String(intEnv(name, 1, 600_000));
  const seats = script === 'smoke' ? 1 : script === 'load' ? shape.LOAD_VUS : Math.max(shape.SPIKE_VUS, shape.SPIKE_BASE_VUS);

  const k6 = ensureK6();
  const startedAt = Date.now();
  const runId = `${Date.now().toString(36)}${process.pid.toString(36)}`.slice(-10);
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'enclave-loadtest-'));
  const target = await targetStack(runId);
  const interrupt = () => {
    log('interrupted: stopping what was started');
    fs.rmSync(workDir, { recursive: true, force: true });
    void target.stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  let failed = false;
  try {
    const members = Math.min(seats, 5);
    log(`signing in ${members} member(s) and creating ${seats} conversation(s)`);
    const tenant = await provisionTenant({
      urlFor: target.urlFor,
      smtpApiUrl: process.env.SMTP_API_URL || target.infra.SMTP_API_URL,
      operatorToken: process.env.LOADTEST_OPERATOR_TOKEN || stack.loadSecrets().operatorToken,
      upstreamUrl: target.upstreamUrl,
      members,
      conversationsPerMember: Math.ceil(seats / members),
      label: `lt${runId}`,
    });
    await warmUp(target, tenant.members);
    // The JSON mode goes through the gateway's OpenAI-compatible API with a virtual key.
    const virtualKey = await call('POST', target.urlFor('chat-gateway', `/v1/tenants/${tenant.tenantId}/virtual-keys`), {
      token: tenant.admin.token,
      body: { label: 'load', rateLimitPerMinute: 1_000_000 },
      expect: 201,
    });
    const dataFile = path.join(workDir, 'data.json');
    const data = {
      gatewayUrl: target.gatewayUrl,
      upstreamUrl: target.upstreamUrl,
      virtualKey: virtualKey.body.key,
      members: tenant.members.map((m) => ({ token: m.token, conversations: m.conversations })),
    };
    fs.writeFileSync(dataFile, JSON.stringify(data), { mode: 0o600 });

    // Memory of the services (and the infrastructure's processes) from here to the end of the drain.
    const processes = target.procs
      ? [...meter.childTargets(target.procs).filter((t) => t.name !== 'fake-upstream'), ...meter.infraProcesses()]
      : [];
    const sampler = meter.memorySampler(processes);
    sampler.start();
    sampler.setPhase('load');
    const rows = [];
    for (const mode of modes) {
      log(`k6 ${script} (${mode})`);
      const summaryFile = path.join(workDir, `summary-${mode}.json`);
      const code = await runK6(k6, script, mode, dataFile, summaryFile, shape);
      if (code !== 0) failed = true;
      if (!fs.existsSync(summaryFile)) throw new Error(`k6 ${script} (${mode}) ended with code ${code} and no summary`);
      rows.push(report(mode, summaryFile, code));
    }
    console.log(`\nk6 ${script} — ${script === 'smoke' ? '1 VU' : `up to ${seats} VUs`}, loopback, fake upstream answering at once`);
    console.table(rows);
    // The warm-up chats (one per member) were answered too.
    const acked = tenant.members.length + rows.reduce((sum, r) => sum + r.answered, 0);
    await afterLoad({ target, tenant, acked, sampler, processes, startedAt });
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
    if (target.started) log('stopping the stack');
    await target.stop();
  }
  process.exitCode = failed ? 1 : 0;
}

main().catch((error) => {
  console.error(`[loadtest] ${error.message}`);
  process.exitCode = 1;
});
