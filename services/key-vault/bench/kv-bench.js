#!/usr/bin/env node
// Key-vault latency and throughput, run after the build (`npm run build`, or `npx tsc -b
// services/key-vault services/chat-gateway`) with the local infra up (bash scripts/infra.sh up):
//
//   node services/key-vault/bench/kv-bench.js [--json]
//
// Starts a real key-vault in-process (own database, Kafka off: the relay is not on the path) and
// measures, with chat-gateway's own credential code:
// 1. decrypt, cached: chat-gateway's in-memory credential cache on a warm entry (the chat hot path);
// 2. decrypt, uncached: GetProviderCredential over gRPC with chat-gateway's service identity, i.e.
//    token verification, view + stream load, KEK unwrap, AES-GCM open and the audit event append
//    (ProviderKeyDecrypted) before the answer, one call at a time and 8 at a time;
// 3. seals per second: the envelope in memory (fresh data key, KEK wrap, AES-256-GCM seal) and a
//    full store (seal + secrets insert + ProviderKeyStored append + read model), 8 at a time.
// Prints p50/p99 and rates; --json prints one JSON object instead. Drops its database at the end.
// Env: BENCH_CACHED (200000), BENCH_UNCACHED (400), BENCH_SEALS (20000), BENCH_STORES (300),
// BENCH_CONCURRENCY (8), MONGO_URL (else .enclave/infra.env).
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { randomBytes } = require('node:crypto');

const KV = path.resolve(__dirname, '../dist');
const GW = path.resolve(__dirname, '../../chat-gateway/dist');
for (const [dir, file, name] of [[KV, 'start-key-vault.js', 'key-vault'], [GW, 'credentials/application/credential-cache.js', 'chat-gateway']]) {
  if (!fs.existsSync(path.join(dir, file))) {
    console.error(`${name} is not built: run \`npm run build\` first`);
    process.exit(2);
  }
}
const { createGrpcClient, createLogger, generateServiceKeypair, loadServiceIdentity, parseEd25519PrivateKey, uuidv7 } = require('@enclave/platform');
const { tenantId: checkedTenantId } = require('@enclave/eventing');
const { keyVaultV1 } = require('@enclave/proto');
const { loadInfraEnv } = require('@enclave/testing');
const { loadKeyVaultConfig } = require(path.join(KV, 'config'));
const { startKeyVault } = require(path.join(KV, 'start-key-vault'));
const { dataKeyAad, secretAad } = require(path.join(KV, 'domain/crypto/aad'));
const { seal, zero } = require(path.join(KV, 'domain/crypto/sealed-box'));
const { CredentialCache } = require(path.join(GW, 'credentials/application/credential-cache'));
const { GrpcCredentialSource } = require(path.join(GW, 'credentials/infrastructure/grpc-credential-source'));
const { openAiClientFactory } = require(path.join(GW, 'chat/infrastructure/openai-provider-client'));

const num = (name, fallback) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
};
const N_CACHED = num('BENCH_CACHED', 200_000);
const N_UNCACHED = num('BENCH_UNCACHED', 400);
const N_SEALS = num('BENCH_SEALS', 20_000);
const N_STORES = num('BENCH_STORES', 300);
const CONCURRENCY = num('BENCH_CONCURRENCY', 8);
const JSON_OUT = process.argv.includes('--json');

const nowNs = () => process.hrtime.bigint();
const ms = (ns) => Number(ns) / 1e6;

function percentiles(samplesMs) {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const at = (p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
  return { n: sorted.length, p50: at(50), p99: at(99), mean: sorted.reduce((s, x) => s + x, 0) / sorted.length };
}

/** Runs `task(i)` n times with `concurrency` in flight; returns per-call latencies (ms) and the wall time. */
async function measure(n, concurrency, task) {
  const latencies = new Array(n);
  let next = 0;
  const started = nowNs();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    for (let i = next++; i < n; i = next++) {
      const t0 = nowNs();
      await task(i);
      latencies[i] = ms(nowNs() - t0);
    }
  }));
  return { latencies, wallMs: ms(nowNs() - started) };
}

async function main() {
  const infra = process.env.MONGO_URL ? { mongoUrl: process.env.MONGO_URL } : loadInfraEnv();
  const gateway = generateServiceKeypair();
  const config = loadKeyVaultConfig({
    MONGO_URL: infra.mongoUrl,
    MONGO_DB: `kv_bench_${Date.now()}`,
    KAFKA_ENABLED: 'false',
    HTTP_PORT: '0',
    GRPC_PORT: '0',
    AUTH_JWKS_URL: 'http://127.0.0.1:9/v1/auth/jwks',
    SERVICE_PUBLIC_KEYS: JSON.stringify({ 'chat-gateway': gateway.publicKey }),
    KEK_KEYS: JSON.stringify({ 1: randomBytes(32).toString('base64') }),
    FINGERPRINT_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: 'silent',
  });
  const logger = createLogger({ service: 'kv-bench', level: 'silent' });
  const kv = await startKeyVault(config, { logger, handleSignals: false, session: { jwksUrl: config.authJwksUrl } });
  const client = createGrpcClient(keyVaultV1.KeyVaultServiceClient, `127.0.0.1:${kv.grpcPort}`, {
    identity: loadServiceIdentity('chat-gateway', parseEd25519PrivateKey(gateway.privateKey)),
    audience: 'key-vault',
    // Generous: the bench measures latency, it should not fail on a loaded machine.
    defaultDeadlineMs: 30_000,
  });
  const results = { node: process.version, cpus: os.cpus().length };
  try {
    const admin = { kind: 'person', subjectId: 'bench-admin', role: 'admin' };
    const tenant = checkedTenantId(`bench-${uuidv7()}`);
    await kv.storeProviderKey.execute({ tenantId: tenant, provider: 'openai', label: 'bench', apiKey: `sk-bench-${uuidv7()}` }, admin);
    const source = new GrpcCredentialSource(client, logger);

    // Warm-up: connections, JIT, first-use paths.
    for (let i = 0; i < 30; i += 1) await source.fetch(tenant);

    // 1. cached: the gateway's in-memory cache, warm.
    const cache = new CredentialCache(source, openAiClientFactory(30_000), { maxEntries: 10_000, ttlMs: 3_600_000, clock: Date.now });
    await cache.get(tenant);
    const cached = new Array(N_CACHED);
    for (let i = 0; i < N_CACHED; i += 1) {
      const t0 = nowNs();
      await cache.get(tenant);
      cached[i] = ms(nowNs() - t0);
    }
    results.decryptCached = percentiles(cached);

    // 2. uncached: every call a gRPC round trip into key-vault, an audited decryption.
    results.decryptUncached = percentiles((await measure(N_UNCACHED, 1, () => source.fetch(tenant))).latencies);
    const parallel = await measure(N_UNCACHED, CONCURRENCY, () => source.fetch(tenant));
    results.decryptUncachedConcurrent = { ...percentiles(parallel.latencies), concurrency: CONCURRENCY, perSecond: (N_UNCACHED / parallel.wallMs) * 1000 };

    // 3a. envelope seals in memory.
    const kek = kv.kek;
    const plaintext = Buffer.from(JSON.stringify({ p: 'openai', k: `sk-${randomBytes(24).toString('hex')}`, u: '' }));
    const id = uuidv7();
    const t0 = nowNs();
    for (let i = 0; i < N_SEALS; i += 1) {
      const dek = randomBytes(32);
      await kek.wrap(dek, dataKeyAad(tenant, 'provider-key', id, i + 1));
      seal(dek, plaintext, secretAad(tenant, 'provider-key', id, i + 1));
      zero(dek);
    }
    results.sealsInMemory = { n: N_SEALS, perSecond: (N_SEALS / ms(nowNs() - t0)) * 1000 };

    // 3b. full stores (what POST /provider-keys does after validation).
    const stores = await measure(N_STORES, CONCURRENCY, (i) =>
      kv.storeProviderKey.execute({ tenantId: tenant, provider: 'openai', label: `k${i}`, apiKey: `sk-store-${i}-${uuidv7()}` }, admin),
    );
    results.stores = { ...percentiles(stores.latencies), concurrency: CONCURRENCY, perSecond: (N_STORES / stores.wallMs) * 1000 };
  } finally {
    client.close();
    await kv.close();
    const mongoose = require('mongoose');
    const conn = await mongoose.createConnection(config.mongo.url, { dbName: config.mongo.db }).asPromise();
    await conn.dropDatabase().catch(() => undefined);
    await conn.close();
  }
  report(results);
}

function report(r) {
  if (JSON_OUT) {
    console.log(JSON.stringify(r));
    return;
  }
  const us = (x) => `${(x * 1000).toFixed(2)} µs`;
  const msf = (x) => `${x.toFixed(2)} ms`;
  const rate = (x) => `${Math.round(x).toLocaleString('en-US')}/s`;
  console.log(`key-vault bench — node ${r.node}, ${r.cpus} cpus`);
  console.log(`decrypt, cached   (chat-gateway in-memory cache)        n=${r.decryptCached.n}  p50 ${us(r.decryptCached.p50)}  p99 ${us(r.decryptCached.p99)}`);
  console.log(`decrypt, uncached (gRPC + audit append), 1 at a time    n=${r.decryptUncached.n}  p50 ${msf(r.decryptUncached.p50)}  p99 ${msf(r.decryptUncached.p99)}`);
  const c = r.decryptUncachedConcurrent;
  console.log(`decrypt, uncached, ${c.concurrency} at a time                      n=${c.n}  p50 ${msf(c.p50)}  p99 ${msf(c.p99)}  ${rate(c.perSecond)}`);
  console.log(`seals (fresh DEK + KEK wrap + AES-256-GCM), in memory   n=${r.sealsInMemory.n}  ${rate(r.sealsInMemory.perSecond)}`);
  console.log(`stores (seal + Mongo + event append), ${r.stores.concurrency} at a time  n=${r.stores.n}  p50 ${msf(r.stores.p50)}  p99 ${msf(r.stores.p99)}  ${rate(r.stores.perSecond)}`);
}

main().catch((error) => {
  console.error(`kv-bench failed: ${error && error.message ? error.message : error}`);
  process.exit(1);
});
