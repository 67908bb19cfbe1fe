#!/usr/bin/env node
// Billing's usage ingestion rate, run after the build (`npx tsc -b services/billing`) with the
// local infra up:
//
//   node services/billing/bench/usage-ingest-bench.js
//
// Publishes BENCH_EVENTS chat-gateway.UsageRecorded events (BENCH_TENANTS tenants, a few members
// and models each) to a topic of its own, then starts a BillingRuntime on it and times how long
// it takes until every tenant's month report counts all of its events: the drain rate of a
// backlog, as after a burst, and checks every tenant's count. Prints the figures; never fails on
// a missed target.
// Env: BENCH_EVENTS (20000), BENCH_TENANTS (4), MONGO_URL / KAFKA_BROKERS / REDIS_URL (else .enclave/infra.env).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { randomUUID } = require('node:crypto');

const DIST = path.resolve(__dirname, '../dist');
if (!fs.existsSync(path.join(DIST, 'composition/billing-runtime.js'))) {
  console.error('billing is not built: run `npx tsc -b services/billing` first');
  process.exit(2);
}
const need = (name) => require(require.resolve(name, { paths: [DIST] }));
const mongoose = need('mongoose');
const Redis = need('ioredis');
const { Kafka, logLevel } = need('kafkajs');
const { buildEnvelope, tenantId: toTenantId, toKafkaMessage } = need('@enclave/eventing');
const { createLogger } = need('@enclave/platform');
const { BillingRuntime } = require(path.join(DIST, 'composition/billing-runtime'));

const num = (name, fallback) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
};
const N = num('BENCH_EVENTS', 20_000);
const TENANTS = num('BENCH_TENANTS', 4);
const TARGET = 3_000;

function infra(name) {
  if (process.env[name]) return process.env[name];
  const file = path.resolve(__dirname, '../../../.enclave/infra.env');
  const line = fs.existsSync(file) && fs.readFileSync(file, 'utf8').split('\n').find((l) => l.startsWith(`${name}=`));
  if (!line) throw new Error(`no ${name}: set it, or start the infra with \`bash scripts/infra.sh up\``);
  return line.slice(name.length + 1).trim();
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const NOW = new Date();
const MONTH = NOW.toISOString().slice(0, 7);

async function main() {
  const run = randomUUID().slice(0, 8);
  const suffix = `.bench-${run}`;
  const connection = await mongoose.createConnection(infra('MONGO_URL'), { dbName: `bench_billing_${run}` }).asPromise();
  const redis = new Redis(infra('REDIS_URL'));
  const kafka = new Kafka({ clientId: `billing-bench-${run}`, brokers: infra('KAFKA_BROKERS').split(','), logLevel: logLevel.NOTHING });
  const runtime = new BillingRuntime({
    connection,
    redis,
    logger: createLogger({ service: 'billing-bench', level: 'silent' }),
    defaultMonthlyTokenQuota: null,
    kafka: { client: kafka, groupId: `billing-bench-${run}`, topicSuffix: suffix },
    retentionIntervalMs: 0,
  });
  const topic = runtime.topics.chatGateway;
  const tenants = Array.from({ length: TENANTS }, (_, i) => toTenantId(`bench-${run}-${i}`));
  const envelope = (i) =>
    buildEnvelope(
      topic,
      {
        event: {
          $case: 'usageRecorded',
          value: { requestId: `r-${i}`, conversationId: '', memberSubjectId: `sub-${i % 7}`, model: i % 3 ? 'gpt-4o-mini' : 'gpt-4o', promptTokens: 10, completionTokens: 5, outcome: 'ok', estimated: false },
        },
      },
      { type: 'chat-gateway.UsageRecorded', tenantId: tenants[i % TENANTS], subjectId: `sub-${i % 7}`, actor: { kind: 2, id: 'chat-gateway', role: '' } },
      { occurredAtMs: NOW.getTime() },
    );
  const envelopes = Array.from({ length: N }, (_, i) => envelope(i));
  const producer = kafka.producer({ allowAutoTopicCreation: true });
  await producer.connect();
  try {
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic: topic.name, numPartitions: 3 }] });
    await admin.disconnect();
    for (let i = 0; i < N; i += 1000) await producer.send({ topic: topic.name, acks: -1, messages: envelopes.slice(i, i + 1000).map(toKafkaMessage) });
    const expected = (t) => Math.floor(N / TENANTS) + (t < N % TENANTS ? 1 : 0);
    const counted = async () => {
      let total = 0;
      for (const tenant of tenants) total += (await runtime.totals.monthTotals(tenant, MONTH)).messages;
      return total;
    };
    const t0 = process.hrtime.bigint();
    await runtime.start();
    while ((await counted()) < N) await sleep(100);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    const rate = Math.round((N * 1000) / ms);
    for (const [t, tenant] of tenants.entries()) {
      const got = (await runtime.getUsageReport.execute(tenant, MONTH)).totals.messages;
      if (got !== expected(t)) throw new Error(`tenant ${t}: ${got} messages counted, expected ${expected(t)}`);
    }
    console.log(`billing usage ingest: ${N} events, ${TENANTS} tenants, drained in ${Math.round(ms)} ms (consumer start included): ${rate} events/s`);
    console.log(JSON.stringify({ bench: 'billing-usage-ingest', events: N, tenants: TENANTS, ms: Math.round(ms), eventsPerSecond: rate, target: TARGET, met: rate >= TARGET }));
  } finally {
    await producer.disconnect();
    await runtime.stop();
    redis.disconnect();
    await connection.dropDatabase().catch(() => undefined);
    await connection.close();
  }
}

main().catch((error) => {
  console.error(`billing bench failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
