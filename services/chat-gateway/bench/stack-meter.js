'use strict';
// Measures a running local stack from the outside, whatever its code does: resident memory and
// CPU of each process (and its children) from /proc, the infrastructure's processes from the pid
// files scripts/infra.sh writes, consumer-group lag from Kafka, and the DRAIN — how long after
// a load until billing's usage report and audit's trail hold every usage the gateway
// acknowledged. Shared by bench/pipeline.js and loadtests/run-loadtest.js (k6). Linux only.
const fs = require('node:fs');
const path = require('node:path');
const { table, enclaveHome: defaultHome } = require('./bench-support');

const TICKS_PER_SECOND = 100; // USER_HZ: the unit of utime/stime in /proc/<pid>/stat
const MB = 1024; // /proc/<pid>/status reports kB
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** {ppid, ticks} of one process, or null when it is gone. */
function readStat(pid) {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return null;
  }
}

/** {rssKb, hwmKb} from /proc/<pid>/status, or null when it is gone. */
function readMemory(pid) {
  try {
    const text = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key) => Number((new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(text) || [])[1] || 0);
    return { rssKb: kb('VmRSS'), hwmKb: kb('VmHWM') };
  } catch {
    return null;
  }
}

/** pid → [child pids], from one pass over /proc. */
function childrenByParent() {
  const map = new Map();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(entry);
    if (!stat) continue;
    if (!map.has(stat.ppid)) map.set(stat.ppid, []);
    map.get(stat.ppid).push(Number(entry));
  }
  return map;
}

/** A process and all its descendants (a PostgreSQL server's backends, a wrapper's child). */
function processTree(rootPid, kids = childrenByParent()) {
  const out = [];
  const queue = [rootPid];
  while (queue.length > 0 && out.length < 10_000) {
    const pid = queue.shift();
    out.push(pid);
    queue.push(...(kids.get(pid) || []));
  }
  return out;
}

/** The local infrastructure's processes: every live pid in $ENCLAVE_HOME/run/*.pid. */
function infraProcesses(enclaveHome = defaultHome) {
  const dir = path.join(enclaveHome, 'run');
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir)
    .filter((f) => f.endsWith('.pid'))
    .sort()
    .map((f) => ({ name: f.slice(0, -4), pid: Number(fs.readFileSync(path.join(dir, f), 'utf8').replace(/\D/g, '')), kind: 'infra' }))
    .filter((p) => p.pid > 0 && readStat(p.pid) !== null);
}

/** Named child processes ({name: ChildProcess}) as measurable targets. */
function childTargets(procs, kind = 'service') {
  return Object.entries(procs).filter(([, c]) => c && c.pid).map(([name, c]) => ({ name, pid: c.pid, kind }));
}

/**
 * Samples the summed VmRSS of each target's process tree every `intervalMs` and keeps the peak
 * per phase (setPhase('burst'), setPhase('drain'), ...). stop() returns, per target, the peaks
 * and the VmHWM of its main process (its lifetime peak, startup included).
 */
function memorySampler(targets, intervalMs = 250) {
  const peaks = new Map(targets.map((t) => [t.name, {}]));
  let phase = 'start';
  let timer;
  let trees = new Map();
  let round = 0;
  const sample = () => {
    if (round % 8 === 0) {
      const kids = childrenByParent();
      trees = new Map(targets.map((t) => [t.name, processTree(t.pid, kids)]));
    }
    round += 1;
    for (const t of targets) {
      let kb = 0;
      for (const pid of trees.get(t.name) || []) kb += (readMemory(pid) || { rssKb: 0 }).rssKb;
      const p = peaks.get(t.name);
      p[phase] = Math.max(p[phase] || 0, kb);
    }
  };
  return {
    start() {
      sample();
      timer = setInterval(sample, intervalMs);
      timer.unref();
    },
    setPhase(name) {
      sample();
      phase = name;
      sample();
    },
    stop() {
      sample();
      clearInterval(timer);
      return targets.map((t) => ({ ...t, peaksMb: Object.fromEntries(Object.entries(peaks.get(t.name)).map(([k, v]) => [k, v / MB])), hwmMb: ((readMemory(t.pid) || { hwmKb: NaN }).hwmKb) / MB }));
    },
  };
}

/** CPU of each target's process tree over `seconds`, as % of one core, and the total. */
async function cpuOver(targets, seconds) {
  const ticksOf = (t, kids) => processTree(t.pid, kids).reduce((sum, pid) => sum + ((readStat(pid) || { ticks: 0 }).ticks), 0);
  let kids = childrenByParent();
  const before = targets.map((t) => ticksOf(t, kids));
  const started = performance.now();
  await sleep(seconds * 1000);
  kids = childrenByParent();
  const wall = (performance.now() - started) / 1000;
  const rows = targets.map((t, i) => ({ ...t, pct: ((ticksOf(t, kids) - before[i]) / TICKS_PER_SECOND / wall) * 100 }));
  return { rows, totalPct: rows.reduce((s, r) => s + r.pct, 0), seconds: wall };
}

/**
 * Usage probes on the public APIs: billed = billing's usage report (owner/admin token), the
 * completions counted in `totals.messages` for the months the run spans; audited = how many
 * chat-gateway.UsageRecorded entries audit's trail holds for the tenant (owner/auditor token),
 * from the trail's count endpoint (each count is itself audited, as a trail query).
 */
function usageProbes({ urlFor, tenantId, token, months }) {
  const get = async (url, timeoutMs, signal) => {
    const timeout = AbortSignal.timeout(timeoutMs);
    const res = await fetch(url, { headers: { authorization: `Bearer ${token}` }, signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
    if (res.status !== 200) throw new Error(`${new URL(url).pathname} answered ${res.status}`);
    return res.json();
  };
  return {
    async billed({ signal } = {}) {
      let sum = 0;
      for (const month of months()) sum += (await get(urlFor('billing', `/v1/tenants/${tenantId}/usage?month=${month}`), 30_000, signal)).totals.messages;
      return sum;
    },
    /** The tenant's UsageRecorded entries in audit's log (one count query; slow on a large log: waited for). */
    async audited({ signal } = {}) {
      return (await get(urlFor('audit', `/v1/tenants/${tenantId}/audit/events/count?type=chat-gateway.UsageRecorded`), 60_000, signal)).count;
    },
  };
}

/** The UTC months (YYYY-MM) from `sinceMs` to now: a run across a month end reads both. */
function monthsSince(sinceMs) {
  const key = (ms) => new Date(ms).toISOString().slice(0, 7);
  return [...new Set([key(sinceMs), key(Date.now())])];
}

/**
 * Polls billed() and audited() every `intervalMs`, each in its own loop, until each reached
 * `acked`, for `capMs` at most (`progress(line)` every `progressEveryMs` meanwhile); each of
 * `signals` (name → async (state) => boolean) is polled likewise until it first holds. Returns
 * ms from the call to when each was first seen complete (null: not within the cap), the last
 * counts, the slowest answer of each probe, and the last probe error. At the cap no new probe
 * starts and one under way gets `graceMs` to finish (a query the client gave up on would keep
 * the database busy during what is measured next); then the probes' AbortSignal fires.
 */
async function waitForDrain({ acked, probes, signals = {}, intervalMs = 250, capMs = 300_000, graceMs = 90_000, progress, progressEveryMs = 10_000 }) {
  const started = performance.now();
  const elapsed = () => performance.now() - started;
  const state = { billed: { count: 0, ms: null, slowestMs: 0 }, audited: { count: 0, ms: null, slowestMs: 0 } };
  const seen = Object.fromEntries(Object.keys(signals).map((name) => [name, null]));
  const abort = new AbortController();
  let stopped = false;
  let lastError;
  const maxRounds = Math.ceil(capMs / intervalMs) + 1;
  const poll = async (once) => {
    for (let round = 0; round < maxRounds && !stopped && elapsed() < capMs; round += 1) {
      const tick = performance.now();
      if (await once()) return;
      await sleep(Math.max(0, intervalMs - (performance.now() - tick)));
    }
  };
  const probing = Object.keys(state).map((name) => poll(async () => {
    const asked = performance.now();
    try {
      state[name].count = await probes[name]({ signal: abort.signal });
      if (state[name].count >= acked) state[name].ms = elapsed();
    } catch (error) {
      if (!abort.signal.aborted) lastError = `${name}: ${error.message}`;
    }
    state[name].slowestMs = Math.max(state[name].slowestMs, performance.now() - asked);
    return state[name].ms !== null;
  }));
  const watching = Object.entries(signals).map(([name, signal]) => poll(async () => {
    if (await signal(state).catch(() => false)) seen[name] ??= elapsed();
    return seen[name] !== null;
  }));
  const ticker = progress && setInterval(() => progress(`drain: ${fmtMs(elapsed())}, billed ${state.billed.count}/${acked}, audited ${state.audited.count}/${acked}`), progressEveryMs);
  const within = (loops, ms) => {
    let timer;
    return Promise.race([Promise.all(loops), new Promise((ok) => (timer = setTimeout(ok, ms)))]).finally(() => clearTimeout(timer));
  };
  await within(probing, capMs);
  stopped = true;
  clearInterval(ticker);
  // Nothing of this call still runs when it returns (a signal's round included).
  await within([...probing, ...watching], graceMs);
  abort.abort();
  const done = state.billed.ms !== null && state.audited.ms !== null;
  return { acked, billed: { ...state.billed }, audited: { ...state.audited }, signals: { ...seen }, drainMs: done ? Math.max(state.billed.ms, state.audited.ms) : null, lastError };
}

const fmtMs = (ms) => (ms === null || ms === undefined ? 'n/a' : `${(ms / 1000).toFixed(1)} s`);
const fmtMb = (mb) => (Number.isFinite(mb) ? mb.toFixed(0) : 'n/a');

/** Lines describing a drain result (`print` is console.log or a prefixed logger). */
function printDrain(result, capMs, print = console.log) {
  const { acked, billed, audited } = result;
  print(`acknowledged completions: ${acked}; billed ${billed.count} after ${fmtMs(billed.ms)}; audited ${audited.count} after ${fmtMs(audited.ms)}`);
  print(`(slowest probe answer: billing ${fmtMs(billed.slowestMs)}, audit ${fmtMs(audited.slowestMs)}: the resolution of these times)`);
  const unseen = result.drainMs === null ? 'n/a (not within the cap)' : 'n/a (the drain ended first)';
  for (const [name, ms] of Object.entries(result.signals || {})) print(`${name} after ${ms === null ? unseen : fmtMs(ms)}`);
  if (result.drainMs === null) print(`did not drain within ${fmtMs(capMs)} (billed ${billed.count}/${acked}, audited ${audited.count}/${acked})${result.lastError ? `; last probe error: ${result.lastError}` : ''}`);
  else print(`drain time (end of load → last usage billed and audited): ${fmtMs(result.drainMs)}`);
  if (billed.count > acked || audited.count > acked) print('(more usage than acknowledged: answers that failed on the client side were recorded too)');
}

/** Peak resident memory per process and phase (from memorySampler().stop()). */
function printMemory(memory, phases, print = console.log) {
  print("resident memory, MB (process and its children, sampled every 250 ms; VmHWM = the main process's lifetime peak)");
  table(memory.map((m) => ({
    process: m.name, kind: m.kind,
    ...Object.fromEntries(Object.entries(phases).map(([phase, title]) => [title, fmtMb(m.peaksMb[phase])])),
    VmHWM: fmtMb(m.hwmMb),
  })), print);
}

/** CPU per process and in total (from cpuOver()). */
function printCpu(idle, print = console.log) {
  table([...idle.rows.map((r) => ({ process: r.name, kind: r.kind, 'cpu %': r.pct.toFixed(1) })), { process: 'total', kind: '', 'cpu %': idle.totalPct.toFixed(1) }], print);
  print('(% of one core; the infrastructure is shared: other stacks or tests using it meanwhile count too)');
}

module.exports = {
  printMemory, printCpu,
  readStat, readMemory, processTree, childrenByParent, infraProcesses, childTargets, memorySampler, cpuOver,
  usageProbes, monthsSince, waitForDrain, printDrain, fmtMs, fmtMb,
};
