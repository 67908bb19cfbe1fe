#!/usr/bin/env node
// Audit throughput, run after the build (`npx tsc -b services/audit`) with the local infra up:
//
//   node services/audit/bench/audit-bench.js            (or: npm run -w @enclave/audit bench)
//
// 1. hashing: building hash-chain entries in memory (canonical JSON + SHA-256), no I/O;
// 2. ingest: the append path the consumer uses (AppendToLog: head, chain, insert) against the
//    real FerretDB, one event at a time and batched (executeBatch: one ordered insertMany for all
//    the tenants of a batch);
// 3. verification: an evidence bundle of N entries verified in memory (every entry's hash, the
//    chain, the Merkle root, the checkpoint signature), as the offline verifier does: on one
//    thread (the reference), then with the hashing split over worker threads as the CLI does it
//    above 20,000 entries (a fresh pool per call: starting the workers is counted). The target
//    judges the best wall-clock rate; per CPU-second counts every thread's CPU time.
// Prints the figures and whether each target is met; never fails on a missed target.
// Env: BENCH_EVENTS_HASH (200000), BENCH_EVENTS_INGEST (20000), BENCH_EVENTS_SINGLE (1000),
// BENCH_EVENTS_VERIFY (200000), BENCH_TENANTS (8), BENCH_BATCH (1000), MONGO_URL (else .enclave/infra.env).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { generateKeyPairSync, randomUUID } = require('node:crypto');

const DIST = path.resolve(__dirname, '../dist');
if (!fs.existsSync(path.join(DIST, 'log/application/append-to-log.js'))) {
  console.error('audit is not built: run `npx tsc -b services/audit` first');
  process.exit(2);
}
const { appendEntry, EMPTY_CHAIN } = require(path.join(DIST, 'log/domain/audit-entry'));
const { AppendToLog } = require(path.join(DIST, 'log/application/append-to-log'));
const { MongoAuditLog } = require(path.join(DIST, 'log/infrastructure/mongo-audit-log'));
const { Frontier } = require(path.join(DIST, 'merkle/domain/frontier'));
const { entryLeaf, toHex } = require(path.join(DIST, 'merkle/domain/merkle-hash'));
const { signCheckpoint, keyIdOfSpki } = require(path.join(DIST, 'checkpoints/domain/checkpoint'));
const { toBundleEntry, toBundleCheckpoint, BUNDLE_FORMAT } = require(path.join(DIST, 'export/domain/bundle'));
const { verifyBundle } = require(path.join(DIST, 'export/domain/verify-bundle'));
const { verifyBundleParallel } = require(path.join(DIST, 'export/parallel/verify-bundle-parallel'));
const { defaultPoolSize } = require(path.join(DIST, 'export/parallel/worker-pool'));

const num = (name, fallback) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
};
const N_HASH = num('BENCH_EVENTS_HASH', 200_000);
const N_INGEST = num('BENCH_EVENTS_INGEST', 20_000);
const N_SINGLE = num('BENCH_EVENTS_SINGLE', 1_000);
const N_VERIFY = num('BENCH_EVENTS_VERIFY', 200_000);
const TENANTS = num('BENCH_TENANTS', 8);
const BATCH = num('BENCH_BATCH', 1_000);
const TARGET_INGEST = 10_000;
const TARGET_VERIFY = 100_000;

const run = randomUUID().slice(0, 8);
const draft = (tenantId, i) => ({
  tenantId,
  eventId: `${run}-${tenantId}-${i}`,
  service: 'chat-gateway',
  type: 'chat-gateway.UsageRecorded',
  actor: { kind: 'service', id: 'chat-gateway', role: '' },
  subjectId: `sub-${i % 97}`,
  occurredAt: new Date(1_740_000_000_000 + i),
  recordedAt: new Date(1_740_000_000_500 + i),
  payload: `{"usageRecorded":{"completionTokens":${i % 500},"conversationId":"c-${i % 1000}","model":"gpt-4o","outcome":"ok","promptTokens":${i % 700}}}`,
});

const rate = (n, ms) => Math.round((n * 1000) / ms);
/** Wall-clock time, and this process's CPU time: on a busy machine the CPU rate is what an idle core would do. */
const timed = async (fn) => {
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const result = await fn();
  const cpu = process.cpuUsage(cpu0);
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, cpuMs: (cpu.user + cpu.system) / 1000, result };
};
const line = (label, n, t, note) =>
  console.log(`${label.padEnd(34)} ${String(rate(n, t.ms)).padStart(8)} events/s wall  ${String(rate(n, t.cpuMs)).padStart(8)} per CPU-second  (${note})`);

function chainOf(tenantId, n) {
  const entries = new Array(n);
  let head = EMPTY_CHAIN;
  for (let i = 0; i < n; i++) head = entries[i] = appendEntry(head, draft(tenantId, i + 1));
  return entries;
}

function mongoUrl() {
  if (process.env.MONGO_URL) return process.env.MONGO_URL;
  const file = path.resolve(__dirname, '../../../.enclave/infra.env');
  const line = fs.existsSync(file) && fs.readFileSync(file, 'utf8').split('\n').find((l) => l.startsWith('MONGO_URL='));
  if (!line) throw new Error('no MONGO_URL: set it, or start the infra with `bash scripts/infra.sh up`');
  return line.slice('MONGO_URL='.length).trim();
}

async function benchIngest(results) {
  const mongoose = require(require.resolve('mongoose', { paths: [DIST] }));
  const connection = await mongoose.createConnection(mongoUrl(), { dbName: `bench_audit_${run}`, serverSelectionTimeoutMS: 10_000 }).asPromise();
  try {
    const log = new MongoAuditLog(connection);
    await log.init();
    // One event at a time, as the per-message consumer handler appends.
    const single = new AppendToLog(log);
    const s = await timed(async () => {
      for (let i = 1; i <= N_SINGLE; i++) await single.execute(draft(`single-${i % TENANTS}`, i));
    });
    results.ingestSingle = rate(N_SINGLE, s.ms);
    line('ingest, one event at a time', N_SINGLE, s, `${N_SINGLE} events, ${TENANTS} tenants, FerretDB`);
    // Batched: tenants interleaved in each batch, as a Kafka batch of a partition arrives.
    const batched = new AppendToLog(log);
    const drafts = Array.from({ length: N_INGEST }, (_, i) => draft(`batch-${i % TENANTS}`, i + 1));
    const b = await timed(async () => {
      for (let i = 0; i < drafts.length; i += BATCH) await batched.executeBatch(drafts.slice(i, i + BATCH));
    });
    results.ingestBatched = rate(N_INGEST, b.ms);
    line(`ingest, batches of ${BATCH}`, N_INGEST, b, `${N_INGEST} events, ${TENANTS} tenants, FerretDB`);
    // The database's own ceiling: the same documents, the same indexes, insertMany by the driver alone.
    const raw = connection.collection('ceiling');
    await raw.createIndex({ tenantId: 1, seq: 1 }, { unique: true });
    const docs = chainOf('ceiling', N_INGEST).map((e) => ({ _id: e.eventId, ...e, actor: { ...e.actor } }));
    const c = await timed(async () => {
      for (let i = 0; i < docs.length; i += BATCH) await raw.insertMany(docs.slice(i, i + BATCH), { ordered: true });
    });
    results.ferretdbCeiling = rate(N_INGEST, c.ms);
    line(`FerretDB ceiling, raw insertMany`, N_INGEST, c, 'driver only, no audit code');
    // Redelivery of a batch already logged: must add nothing.
    const again = await batched.executeBatch(drafts.slice(0, BATCH));
    if (again.appended !== 0) throw new Error(`a redelivered batch appended ${again.appended} entries`);
  } finally {
    await connection.dropDatabase().catch(() => undefined);
    await connection.close();
  }
}

async function benchVerify(results) {
  const entries = chainOf('bench-verify', N_VERIFY);
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const spki = publicKey.export({ format: 'der', type: 'spki' });
  const keyId = keyIdOfSpki(spki);
  const frontier = Frontier.empty();
  for (const e of entries) frontier.append(entryLeaf(e.hash));
  const checkpoint = signCheckpoint({ tenantId: 'bench-verify', treeSize: N_VERIFY, rootHash: toHex(frontier.root()), issuedAt: new Date() }, privateKey, keyId);
  const bundle = {
    format: BUNDLE_FORMAT,
    tenantId: 'bench-verify',
    fromSeq: 1,
    toSeq: N_VERIFY,
    entries: entries.map(toBundleEntry),
    checkpoints: [toBundleCheckpoint(checkpoint)],
    proofs: { treeSize: N_VERIFY, inclusion: [], consistency: [] },
    publicKey: { algorithm: 'Ed25519', keyId, spki: spki.toString('base64') },
    exportedAt: new Date().toISOString(),
  };
  const t = { ms: 0, cpuMs: 0 };
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const report = verifyBundle(bundle);
  t.ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const cpu = process.cpuUsage(cpu0);
  t.cpuMs = (cpu.user + cpu.system) / 1000;
  if (!report.intact || report.rootsRecomputed !== 1) throw new Error(`the benchmark bundle did not verify: ${JSON.stringify(report.failure)}`);
  results.verify = rate(N_VERIFY, t.ms);
  results.verifyPerCpuSecond = rate(N_VERIFY, t.cpuMs);
  line('verify: hash, chain, root, signature', N_VERIFY, t, `${N_VERIFY} entries in memory, one thread`);
  const workers = defaultPoolSize();
  const p = await timed(() => verifyBundleParallel(bundle, { threshold: 1 }));
  if (JSON.stringify(p.result) !== JSON.stringify(report)) throw new Error('the parallel verifier reported otherwise than the reference');
  results.verifyParallel = rate(N_VERIFY, p.ms);
  results.verifyParallelPerCpuSecond = rate(N_VERIFY, p.cpuMs);
  results.verifyWorkers = workers;
  line(`verify, parallel (${workers} workers)`, N_VERIFY, p, `${N_VERIFY} entries in memory, worker threads started per call`);
}

async function main() {
  const results = {};
  console.log(`audit bench (node ${process.version}, ${require('node:os').cpus().length} cpus)`);
  const h = await timed(() => chainOf('bench-hash', N_HASH));
  results.hashing = rate(N_HASH, h.ms);
  results.hashingPerCpuSecond = rate(N_HASH, h.cpuMs);
  line('hashing: chain entries in memory', N_HASH, h, `${N_HASH} entries, no I/O`);
  await benchIngest(results);
  await benchVerify(results);
  const ingest = Math.max(results.ingestSingle, results.ingestBatched);
  const verdict = (value, target) => `${value >= target ? 'MET' : 'NOT MET'} (${value} vs ≥ ${target} events/s)`;
  console.log(`target ingest ≥ ${TARGET_INGEST}/s into FerretDB (best path, wall clock): ${verdict(ingest, TARGET_INGEST)}; FerretDB alone takes ${results.ferretdbCeiling}/s`);
  const verifyBest = Math.max(results.verify, results.verifyParallel);
  const bestPath = verifyBest === results.verifyParallel ? `parallel, ${results.verifyWorkers} workers` : 'one thread';
  console.log(
    `target verify ≥ ${TARGET_VERIFY}/s (best path, wall clock, ${bestPath}): ${verdict(verifyBest, TARGET_VERIFY)}; ` +
      `per CPU-second: one thread ${results.verifyPerCpuSecond}, parallel ${results.verifyParallelPerCpuSecond} (all threads' CPU)`,
  );
  console.log(
    JSON.stringify({
      bench: 'audit',
      ...results,
      targets: { ingest: TARGET_INGEST, verify: TARGET_VERIFY },
      met: { ingest: ingest >= TARGET_INGEST, verify: verifyBest >= TARGET_VERIFY, verifyPerCpuSecond: results.verifyPerCpuSecond >= TARGET_VERIFY },
    }),
  );
}

main().catch((error) => {
  console.error(`audit bench failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
