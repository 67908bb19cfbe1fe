#!/usr/bin/env node
// The project's own database workload against one MongoDB-wire server, to choose and check the
// local database (README: "Local database: measured choice"). Run after the build
// (`npx tsc -b libs/eventing`):
//
//   node scripts/bench-db.js [mongodb://127.0.0.1:27027/] [--pids 123,456] [--big]
//   npm run bench -- db              (the local infra's MONGO_URL and database processes)
//
// Measures: outbox inserts (insertMany of 100 event documents of ~300 B, until BENCH_DB_DOCS
// are stored); event store appends (the real EventStore: claim, events, decision), one writer and
// 8 concurrent; the relay's read path (the real outbox view + plan + position write) draining
// BENCH_DB_APPENDS appends next to the stored events, and one idle poll; $inc by _id
// sequentially (p50/p99); 8 workers' $inc on 10 documents (how many of 5,000 landed); unique-index
// insert claims by 8 workers; the server's CPU (every --pids process and its children, from
// /proc/<pid>/stat) with no client and while one client polls the outbox every 200 ms. With
// --big, the idle poll is measured again with 300,000 events stored. Prints; never fails on a
// figure. Env: BENCH_DB_DOCS (30000), BENCH_DB_APPENDS (3000).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { randomUUID } = require('node:crypto');

const root = path.resolve(__dirname, '..');
const dist = path.join(root, 'libs/eventing/dist');
if (!fs.existsSync(path.join(dist, 'relay/relay-plan.js'))) {
  console.error('@enclave/eventing is not built: run `npx tsc -b libs/eventing` first');
  process.exit(2);
}
const mongoose = require('mongoose');
const { MongoClient } = mongoose.mongo;
const { EventStore, tenantId } = require(dist);
const { planRelay } = require(path.join(dist, 'relay/relay-plan'));

const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const option = (name) => (args.indexOf(name) >= 0 ? args[args.indexOf(name) + 1] : undefined);
const infraEnv = () => {
  const file = path.join(process.env.ENCLAVE_HOME || path.join(root, '.enclave'), 'infra.env');
  const line = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').find((l) => l.startsWith('MONGO_URL=')) : undefined;
  return line?.slice('MONGO_URL='.length);
};
const url = args.find((a) => a.startsWith('mongodb://')) || process.env.MONGO_URL || infraEnv();
if (!url) {
  console.error('no server: pass mongodb://… or start the local infra (bash scripts/infra.sh up)');
  process.exit(2);
}
const DOCS = Number(process.env.BENCH_DB_DOCS || 30000);
const APPENDS = Number(process.env.BENCH_DB_APPENDS || 3000);
const tenant = tenantId('bench-tenant');
const actor = { kind: 2, id: 'bench', role: '' };
const payload = Buffer.alloc(120, 7);

/** The database processes: --pids, else the local infra's pid files (FerretDB, PostgreSQL). */
function serverPids() {
  const given = option('--pids');
  if (given) return given.split(',').map(Number);
  const run = path.join(process.env.ENCLAVE_HOME || path.join(root, '.enclave'), 'run');
  return ['ferretdb.pid', 'postgres.pid'].map((f) => path.join(run, f)).filter((f) => fs.existsSync(f))
    .map((f) => Number(fs.readFileSync(f, 'utf8').trim().split('\n')[0]));
}

/** CPU seconds used so far by these processes and all their descendants. */
function cpuSeconds(pids) {
  const stats = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const raw = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = raw.slice(raw.lastIndexOf(')') + 2).split(' ');
      stats.push({ pid: Number(entry), ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) });
    } catch {
      // gone meanwhile
    }
  }
  const mine = new Set(pids);
  for (let grown = true; grown; ) {
    grown = false;
    for (const s of stats) if (!mine.has(s.pid) && mine.has(s.ppid)) (mine.add(s.pid), (grown = true));
  }
  return stats.filter((s) => mine.has(s.pid)).reduce((sum, s) => sum + s.ticks, 0) / 100;
}

const eventDoc = (stream, version, seq) => ({
  _id: randomUUID(), streamId: stream, version, tenantId: tenant, type: 'bench.Recorded', subjectId: 'subject-0001',
  actor, occurredAt: new Date(), schemaVersion: 1, traceparent: '', tracestate: '', payload, seq, appendEnd: version,
});
const newEvent = () => ({ type: 'bench.Recorded', tenantId: tenant, actor, subjectId: 'subject-0001', payload });
const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const fmt = (n, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const figures = [];
const report = (name, value) => {
  figures.push([name, value]);
  console.log(`${name.padEnd(58)} ${value}`);
};

async function fillEvents(collection, count, from = 0) {
  const started = performance.now();
  for (let i = from; i < from + count; i += 100) {
    const stream = `bench-${i}`;
    await collection.insertMany(Array.from({ length: 100 }, (_, j) => eventDoc(stream, j + 1, i + j + 1)), { ordered: true });
  }
  return (count / (performance.now() - started)) * 1000;
}

async function appendRate(store, writers, total) {
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: writers }, async () => {
    while (next < total) {
      next += 1;
      await store.append(`append-${randomUUID()}`, 0, [newEvent()]);
    }
  }));
  return (total / (performance.now() - started)) * 1000;
}

async function relayDrain(store) {
  let polls = 0;
  let events = 0;
  let position = (await store.outboxView(1)).position;
  const started = performance.now();
  for (;;) {
    const view = await store.outboxView(10001); // as OutboxRelay: up to 10 sends of 500 per poll
    polls += 1;
    position = Math.max(position, view.position);
    const plan = planRelay(view.claims, position, 5000);
    if (plan.cleared.length === 0) break;
    events += plan.send.reduce((n, c) => n + c.events.length, 0);
    await store.advanceOutbox(plan.position, plan.cleared);
    position = plan.position;
  }
  const ms = performance.now() - started;
  return { events, polls, ms };
}

async function idlePollMs(store, samples = 20) {
  const times = [];
  for (let i = 0; i < samples; i++) {
    const t = performance.now();
    await store.outboxView(10001);
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b)[Math.floor(samples / 2)];
}

async function incSequential(db) {
  const counters = db.collection('counters_seq');
  await counters.insertOne({ _id: 'c', n: 0 });
  const times = [];
  for (let i = 0; i < 1000; i++) {
    const t = performance.now();
    await counters.updateOne({ _id: 'c' }, { $inc: { n: 1 } });
    times.push(performance.now() - t);
  }
  const sorted = [...times].sort((a, b) => a - b);
  return { rate: 1000 / (times.reduce((a, b) => a + b, 0) / 1000), p50: pct(sorted, 50), p99: pct(sorted, 99) };
}

async function incContended(db) {
  const counters = db.collection('counters_hot');
  await counters.insertMany(Array.from({ length: 10 }, (_, i) => ({ _id: `k${i}`, n: 0 })));
  let issued = 0;
  let errors = 0;
  await Promise.all(Array.from({ length: 8 }, async () => {
    while (issued < 5000) {
      const key = `k${issued++ % 10}`;
      await counters.updateOne({ _id: key }, { $inc: { n: 1 } }).catch(() => errors++);
    }
  }));
  const landed = (await counters.find({}).toArray()).reduce((sum, d) => sum + d.n, 0);
  return { landed, errors };
}

async function uniqueClaims(db) {
  const claims = db.collection('claims');
  let won = 0;
  let other = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: 8 }, async () => {
    for (let job = 0; job < 200; job++) {
      try {
        await claims.insertOne({ _id: `job-${job}`, at: new Date() });
        won += 1;
      } catch (error) {
        if (error.code !== 11000) other += 1;
      }
    }
  }));
  return { won, other, attempts: 1600, rate: (1600 / (performance.now() - started)) * 1000, stored: await claims.countDocuments({}) };
}

async function cpuWhile(pids, seconds, work) {
  const before = cpuSeconds(pids);
  const started = performance.now();
  let stop = false;
  const loop = work ? (async () => { while (!stop) (await work(), await sleep(200)); })() : sleep(seconds * 1000);
  await sleep(seconds * 1000);
  stop = true;
  await loop;
  return ((cpuSeconds(pids) - before) / ((performance.now() - started) / 1000)) * 100;
}

async function main() {
  const dbName = `bench_db_${Date.now()}`;
  const client = await MongoClient.connect(url);
  const db = client.db(dbName);
  const connection = await mongoose.createConnection(url, { dbName }).asPromise();
  const pids = serverPids();
  console.log(`server ${url}  database ${dbName}  server pids ${pids.join(',') || 'none'}`);
  try {
    const store = new EventStore(connection, { collection: 'events' });
    await store.init();
    const events = db.collection('events');
    report(`outbox inserts/s (insertMany of 100, ${fmt(DOCS)} docs)`, fmt(await fillEvents(events, DOCS)));
    const medianMs = async (fn) => {
      const times = [];
      for (let i = 0; i < 9; i++) (times.push(-performance.now()), await fn(i), (times[i] += performance.now()));
      return times.sort((a, b) => a - b)[4];
    };
    const { _id: someId } = await events.findOne({ seq: 1 }, { projection: { _id: 1 } });
    const byId = await medianMs(() => events.findOne({ _id: someId }));
    report(`point reads at ${fmt(DOCS)}: findOne(_id) / find({streamId}) ms`, `${fmt(byId, 1)} / ${fmt(await medianMs((i) => events.find({ streamId: `bench-${i * 100}` }).toArray()), 1)}`);
    report('event store appends/s, 1 writer (claim, events, decision)', fmt(await appendRate(store, 1, 300)));
    report('event store appends/s, 8 concurrent writers', fmt(await appendRate(store, 8, APPENDS - 300)));
    const drained = await relayDrain(store);
    report(`relay drain of ${fmt(drained.events)} events next to ${fmt(DOCS)}: events/s`, fmt((drained.events / drained.ms) * 1000));
    report('relay: ms per poll while draining (view, plan, position)', fmt(drained.ms / drained.polls, 1));
    report(`relay: idle poll ms (empty outbox, ${fmt(DOCS + APPENDS)} events stored)`, fmt(await idlePollMs(store), 2));
    const inc = await incSequential(db);
    report('$inc by _id sequential: ops/s (p50 / p99 ms)', `${fmt(inc.rate)} (${fmt(inc.p50, 1)} / ${fmt(inc.p99, 1)})`);
    const hot = await incContended(db);
    report('$inc, 8 workers on 10 docs: increments landed of 5,000', `${fmt(hot.landed)}${hot.errors ? `, ${hot.errors} errors` : ''}`);
    const claims = await uniqueClaims(db);
    report('unique-index insert claims, 8 workers x 200 jobs', `${claims.won} won, ${claims.stored} stored, ${claims.other} other errors, ${fmt(claims.rate)} attempts/s`);
    if (pids.length > 0) {
      report('server CPU %, no client (10 s)', fmt(await cpuWhile(pids, 10), 1));
      report('server CPU %, one client polling the outbox every 200 ms', fmt(await cpuWhile(pids, 10, () => store.outboxView(10001)), 1));
    }
    if (flag('--big')) {
      await fillEvents(events, 300000 - DOCS - APPENDS, DOCS + APPENDS);
      report('relay: idle poll ms (empty outbox, 300,000 events stored)', fmt(await idlePollMs(store), 2));
      const t = performance.now();
      await store.append(`append-${randomUUID()}`, 0, [newEvent()]);
      report('one append at 300,000 events (ms)', fmt(performance.now() - t, 1));
      const legacy = performance.now();
      await events.find({ published: false }).sort({ seq: 1 }).limit(500).toArray();
      report('old relay query find({published:false}).sort({seq:1}) at 300k (ms)', fmt(performance.now() - legacy));
      if (pids.length > 0) report('server CPU %, polling every 200 ms at 300,000 events', fmt(await cpuWhile(pids, 10, () => store.outboxView(10001)), 1));
    }
  } finally {
    await db.dropDatabase().catch(() => undefined);
    await connection.close();
    await client.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
