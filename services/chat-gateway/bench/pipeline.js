'use strict';
// The whole pipeline on the README's local stack: the six services and the fake upstream as real
// processes (own port base, fresh databases and consumer groups), the shared infrastructure
// (Kafka, the document database, Redis, SMTP catcher), and Portkey's gateway from npm, all on
// loopback. Measures only through public surfaces (HTTP APIs, /proc, Kafka consumer-group lag):
//   1. on the quiet stack, a member's first SSE delta in a conversation of --history stored
//      messages (history on), next to the provider's first chunk called directly;
//   2. /v1/chat/completions with a virtual key: latency at concurrency 1 and req/s, p50/p99 at
//      the gateway's peak (closed loop, --concurrency), next to the fake upstream called
//      directly and to Portkey;
//   3. a burst of --burst-seconds at peak for a tenant of its own, then the DRAIN: until
//      billing's usage report and audit's trail (chat-gateway.UsageRecorded) for that tenant
//      hold every completion of the burst the gateway acknowledged (polled
//      every 250 ms, --drain-cap-seconds at most), with each process's peak resident memory
//      and the billing/audit consumer groups' Kafka lag;
//   0. and 4. the CPU of every stack process over --idle-seconds: on the fresh provisioned stack,
//      and right after the drain;
// then each target MET or MISSED. Asserts nothing; exits non-zero only when it could not run.
//
//   bash scripts/infra.sh up && npm run build
//   node services/chat-gateway/bench/pipeline.js [--burst-seconds 60] [--concurrency 48] [--duration 10]
//        [--latency-duration 5] [--history 200] [--first-delta-samples 50] [--drain-cap-seconds 300]
//        [--idle-seconds 10] [--port-base 37100] [--skip-portkey] [--keep-data]
const { runLoad } = require('./load');
const { root, freePort, launcher, startPortkey, portkeyHeaders, table } = require('./bench-support');
const { startRunStack, stack } = require('./run-stack');
const { memberChat, percentile } = require('./member-chat');
const meter = require('./stack-meter');
const { lagMeter, auditCaughtUp } = require('./kafka-lag');

const { provisionTenant, call } = require(require('node:path').join(root, 'tests/e2e/support/provision.js'));

const argv = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const n = Number(argv[i + 1]);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} expects a positive number`);
  return n;
};
const o = {
  burstSeconds: arg('burst-seconds', 60),
  concurrency: Math.round(arg('concurrency', 48)),
  durationMs: arg('duration', 10) * 1000,
  latencyMs: arg('latency-duration', 5) * 1000,
  history: Math.round(arg('history', 200)),
  samples: Math.round(arg('first-delta-samples', 50)),
  drainCapMs: arg('drain-cap-seconds', 300) * 1000,
  idleSeconds: arg('idle-seconds', 10),
  portBase: Math.round(arg('port-base', 37100)),
  skipPortkey: argv.includes('--skip-portkey'),
  keepData: argv.includes('--keep-data'),
};
const QUESTION = 'measure the whole pipeline on a short answer please';
const log = (text) => console.log(`[pipeline] ${text}`);
const ms = (n) => (Number.isFinite(n) ? n.toFixed(2) : 'n/a');
let running; // the stack, for a Ctrl-C
const verdict = (met) => (met === undefined ? 'n/a' : met ? 'MET' : 'MISSED');

/** Phase 2: direct, chat-gateway and Portkey, each warmed, then at concurrency 1 and at peak. */
async function compareGateways(targets) {
  const check = (_s, text) => text.includes('"content":"Echo');
  const results = [];
  for (const t of targets) {
    const common = { url: t.url, headers: t.headers, body: t.body, check };
    const warm = await runLoad({ ...common, concurrency: o.concurrency, durationMs: 1500 });
    if (warm.requests === 0) throw new Error(`${t.name} answers nothing: ${warm.firstError}`);
    const latency = await runLoad({ ...common, concurrency: 1, durationMs: o.latencyMs });
    const load = await runLoad({ ...common, concurrency: o.concurrency, durationMs: o.durationMs });
    results.push({ name: t.name, warm, latency, load });
    log(`${t.name}: ${load.rps.toFixed(0)} req/s at concurrency ${o.concurrency}`);
  }
  return results;
}

async function main() {
  const runId = `pl${Date.now().toString(36)}${process.pid.toString(36)}`.slice(0, 12);
  const startedAt = Date.now();
  const portkeyProcs = launcher();
  let run;
  let lags;
  const remember = (r) => (running = r);
  try {
    run = remember(await startRunStack({
      portBase: o.portBase, runId, log,
      extra: { 'chat-gateway': { RATE_LIMIT_PER_MINUTE: '1000000' }, 'fake-upstream': { FAKE_UPSTREAM_CHUNK_DELAY_MS: '0' } },
    }));
    // Two tenants: the burst's own, so its drain counts exactly the burst's completions.
    log('provisioning two tenants through the public APIs (instance, owner, provider key, member, virtual key)');
    const provision = async (label) => {
      const tenant = await provisionTenant({
        urlFor: run.urlFor, smtpApiUrl: run.infra.SMTP_API_URL, operatorToken: stack.loadSecrets().operatorToken,
        upstreamUrl: run.upstreamUrl, members: 1, conversationsPerMember: 1, label,
      });
      const vk = await call('POST', run.urlFor('chat-gateway', `/v1/tenants/${tenant.tenantId}/virtual-keys`), {
        token: tenant.admin.token, body: { label: 'pipeline bench', rateLimitPerMinute: 1_000_000 }, expect: 201,
      });
      return { ...tenant, virtualKey: vk.body.key };
    };
    const tenant = await provision(runId);
    const burstTenant = await provision(`${runId}b`);
    const gatewayUrl = run.urlFor('chat-gateway', '');
    const processes = [...meter.childTargets(run.procs).filter((t) => t.name !== 'fake-upstream'), ...meter.infraProcesses()];
    log(`0. idle CPU of the fresh stack over ${o.idleSeconds} s (provisioned, no traffic)`);
    const idleFresh = await meter.cpuOver(processes, o.idleSeconds);
    log(`1. first delta on a quiet stack: filling one conversation with ${o.history} messages, then ${o.samples} chats through the gateway and as many straight to the provider`);
    const member = tenant.members[0];
    const chat = memberChat({ gatewayUrl, upstreamUrl: run.upstreamUrl, token: member.token, conversationId: member.conversations[0] });
    const filled = await chat.fill(o.history);
    log(`conversation holds ${filled.stored} messages${filled.failed ? ` (${filled.failed} chats failed while filling, first: ${filled.firstError})` : ''}`);
    const deltas = await chat.firstDeltas(o.samples);
    chat.close();

    const gatewayTarget = {
      name: 'chat-gateway', url: `${gatewayUrl}/v1/chat/completions`, headers: { authorization: `Bearer ${tenant.virtualKey}` },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: QUESTION }] }),
    };
    const upstreamBody = gatewayTarget.body;
    const targets = [{ name: 'direct (fake upstream)', url: `${run.upstreamUrl}/chat/completions`, headers: { authorization: 'Bearer sk-bench-direct' }, body: upstreamBody }, gatewayTarget];
    if (!o.skipPortkey) {
      const port = await freePort();
      await startPortkey(portkeyProcs.start, port);
      targets.push({ name: 'portkey', url: `http://127.0.0.1:${port}/v1/chat/completions`, headers: portkeyHeaders('sk-bench-direct', run.upstreamUrl), body: upstreamBody });
    }

    log(`2. throughput and latency (${o.latencyMs / 1000} s at concurrency 1, ${o.durationMs / 1000} s at ${o.concurrency})`);
    const compared = await compareGateways(targets);
    await portkeyProcs.stopAll();

    const sampler = meter.memorySampler(processes);
    sampler.start();
    log(`3. burst: ${o.burstSeconds} s at concurrency ${o.concurrency} on /v1/chat/completions, then the drain (cap ${o.drainCapMs / 1000} s)`);
    sampler.setPhase('burst');
    const burst = await runLoad({
      url: gatewayTarget.url, headers: { authorization: `Bearer ${burstTenant.virtualKey}` }, body: gatewayTarget.body,
      concurrency: o.concurrency, durationMs: o.burstSeconds * 1000, check: (_s, t) => t.includes('"content":"Echo'),
    });
    const acked = burst.requests; // completions the gateway answered in full for the burst's tenant
    sampler.setPhase('drain');
    lags = lagMeter(run.infra.KAFKA_BROKERS.split(','));
    const consumers = run.groupIds.filter((g) => /^(billing|audit)-/.test(g));
    const lagOf = () => lags.lag(consumers).catch((e) => ({ error: e.message }));
    const lagAtBurstEnd = lagOf();
    const probes = meter.usageProbes({ urlFor: run.urlFor, tenantId: burstTenant.tenantId, token: burstTenant.admin.token, months: () => meter.monthsSince(startedAt) });
    const signals = auditCaughtUp(lags, consumers);
    const drain = await meter.waitForDrain({ acked, probes, signals, capMs: o.drainCapMs, progress: log });
    const memory = sampler.stop();
    const lag = { 'the end of the burst': await lagAtBurstEnd, 'the end of the drain': await lagOf() };

    log(`4. CPU of the stack over ${o.idleSeconds} s right after the drain${drain.drainMs === null ? ' (NOT drained: the stack may still be working)' : ''}`);
    const idle = await meter.cpuOver(processes, o.idleSeconds);

    report({ compared, filled, deltas, burst, drain, lag, memory, idleFresh, idle, runPrefix: run.dbPrefix });
  } finally {
    portkeyProcs.killAll();
    await lags?.close().catch(() => undefined);
    if (run) {
      log(o.keepData ? `stopping the stack (data kept: db prefix ${run.dbPrefix})` : 'stopping the stack and dropping its databases');
      await run.stop({ keepData: o.keepData }).catch((e) => log(`cleanup: ${e.message}`));
    }
  }
}

function report({ compared, filled, deltas, burst, drain, lag, memory, idleFresh, idle, runPrefix }) {
  const c = o.concurrency;
  const g50 = percentile(deltas.gateway, 50);
  const p50 = percentile(deltas.provider, 50);
  console.log(`\n== 1. first delta on a quiet stack, conversation of ${filled.stored}+ stored messages (history on), ${deltas.gateway.length} samples`);
  table([
    { path: 'member chat via chat-gateway (SSE)', 'p50 ms': ms(g50), 'p99 ms': ms(percentile(deltas.gateway, 99)), 'max ms': ms(Math.max(...deltas.gateway)) },
    { path: 'provider direct (fake upstream)', 'p50 ms': ms(p50), 'p99 ms': ms(percentile(deltas.provider, 99)), 'max ms': ms(Math.max(...deltas.provider)) },
  ]);
  if (deltas.errors) console.log(`(${deltas.errors} samples failed)`);

  console.log(`\n== 2. /v1/chat/completions (JSON), zero-latency fake upstream: latency at concurrency 1, throughput at ${c}`);
  table(compared.map((r) => ({
    target: r.name, 'c1 p50 ms': ms(r.latency.p50), 'c1 p99 ms': ms(r.latency.p99),
    [`c${c} req/s`]: r.load.rps.toFixed(0), [`c${c} p50 ms`]: ms(r.load.p50), [`c${c} p99 ms`]: ms(r.load.p99), errors: r.latency.errors + r.load.errors,
  })));
  const [direct, gw, pk] = ['direct', 'chat-gateway', 'portkey'].map((p) => compared.find((r) => r.name.startsWith(p)));

  console.log(`\n== 3. burst of ${o.burstSeconds} s at concurrency ${c}: ${burst.requests} answered (${burst.rps.toFixed(0)} req/s, p50 ${ms(burst.p50)} ms, p99 ${ms(burst.p99)} ms), ${burst.errors} errors${burst.firstError ? ` (first: ${burst.firstError.slice(0, 120)})` : ''}`);
  for (const [when, groups] of Object.entries(lag)) {
    if (!groups.error) console.log(`consumer-group lag at ${when}: ${Object.entries(groups).map(([g, n]) => `${g.replace(`-${runPrefix}`, '')} ${n}`).join(', ')} messages`);
  }
  meter.printDrain(drain, o.drainCapMs);
  console.log('');
  meter.printMemory(memory, { start: 'before burst', burst: 'peak in burst', drain: 'peak in drain' });

  console.log(`\n== 0. idle CPU of the fresh stack over ${idleFresh.seconds.toFixed(1)} s (provisioned, before any load)`);
  meter.printCpu(idleFresh);
  console.log(`\n== 4. CPU over ${idle.seconds.toFixed(1)} s right after the drain (no traffic; audit may still be extending its Merkle trees)`);
  meter.printCpu(idle);

  const addedP50 = gw.latency.p50 - direct.latency.p50;
  const addedP99 = gw.latency.p99 - direct.latency.p99;
  const ratio = pk ? gw.load.rps / pk.load.rps : NaN;
  const gwRss = memory.find((m) => m.name === 'chat-gateway').peaksMb.burst;
  const rows = [
    ['gateway adds <= 1 ms p50 over direct (c1)', `+${ms(addedP50)} ms`, addedP50 <= 1],
    ['gateway adds <= 3 ms p99 over direct (c1)', `+${ms(addedP99)} ms`, addedP99 <= 3],
    [`>= 2x Portkey req/s at <= Portkey p99 (c${c})`, pk ? `${ratio.toFixed(2)}x, p99 ${ms(gw.load.p99)} vs ${ms(pk.load.p99)} ms` : 'Portkey skipped', pk ? ratio >= 2 && gw.load.p99 <= pk.load.p99 : undefined],
    ['chat-gateway RSS < 200 MB in the burst (goal 150)', `${meter.fmtMb(gwRss)} MB${gwRss < 200 && gwRss >= 150 ? ' (goal 150 missed)' : ''}`, gwRss < 200],
    ['drain <= 30 s', drain.drainMs === null ? 'did not drain' : meter.fmtMs(drain.drainMs), drain.drainMs !== null && drain.drainMs <= 30_000],
    ['idle stack < 10% of a core (fresh)', `${idleFresh.totalPct.toFixed(1)} %`, idleFresh.totalPct < 10],
    ['idle stack < 10% of a core (right after the drain)', `${idle.totalPct.toFixed(1)} %`, idle.totalPct < 10],
    ['first delta within 2 ms of the provider\'s (p50)', `+${ms(g50 - p50)} ms`, g50 - p50 <= 2],
  ];
  console.log('\n== targets');
  table(rows.map(([target, value, met]) => ({ target, measured: value, result: verdict(met) })));
}

// Ctrl-C: stop what this run started (the stack's databases are kept), then exit.
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    log(`${signal}: stopping the stack`);
    const stopped = running ? running.stop({ keepData: true }) : Promise.resolve();
    void stopped.finally(() => process.exit(130));
  });
}
main()
  .then(() => process.exit(0))
  .catch((error) => {
    console.error(`[pipeline] could not run: ${error.stack || error.message}`);
    process.exit(1);
  });
