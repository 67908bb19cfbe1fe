// One health probe, exit code 0 when healthy: used by scripts/infra/*.sh in a retry loop.
//   node probe.js kafka 127.0.0.1:19092   -> a metadata request (list topics) answers
//   node probe.js mongo mongodb://...     -> the `ping` command answers ok
//   node probe.js http  http://.../path   -> GET answers 200
'use strict';

const TIMEOUT_MS = 5000;

async function kafka(brokers) {
  const { Kafka, logLevel } = require('kafkajs');
  const admin = new Kafka({
    clientId: 'enclave-infra-probe',
    brokers: brokers.split(','),
    logLevel: logLevel.NOTHING,
    connectionTimeout: TIMEOUT_MS,
    requestTimeout: TIMEOUT_MS,
    retry: { retries: 0 },
  }).admin();
  try {
    await admin.connect();
    await admin.listTopics();
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

async function mongo(url) {
  // mongodb is mongoose's driver; fall back to mongoose's re-export if it is not hoisted.
  let MongoClient;
  try {
    ({ MongoClient } = require('mongodb'));
  } catch {
    ({ MongoClient } = require('mongoose').mongo);
  }
  const client = new MongoClient(url, { serverSelectionTimeoutMS: TIMEOUT_MS, connectTimeoutMS: TIMEOUT_MS });
  try {
    await client.connect();
    const res = await client.db('admin').command({ ping: 1 });
    if (res.ok !== 1) throw new Error('ping did not answer ok');
  } finally {
    await client.close().catch(() => undefined);
  }
}

async function http(url) {
  const res = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) });
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`GET answered ${res.status}`);
}

const probes = { kafka, mongo, http };
const [kind, target] = process.argv.slice(2);
if (!probes[kind] || !target) {
  console.error('usage: node probe.js kafka|mongo|http <target>');
  process.exit(2);
}
probes[kind](target).then(
  () => process.exit(0),
  (err) => {
    console.error(`${kind} probe failed: ${err && err.message}`);
    process.exit(1);
  },
);
