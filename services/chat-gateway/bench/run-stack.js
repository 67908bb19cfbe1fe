'use strict';
// One measured run's own local stack: the six services and the fake upstream as real processes
// (scripts/local-stack.js) on a port base of their own, with a fresh database prefix and fresh
// consumer groups that start at the end of the shared topics (so earlier runs' events are not
// replayed into the measurement). Shared by bench/pipeline.js and loadtests/run-loadtest.js.
const fs = require('node:fs');
const path = require('node:path');
const { portInUse, root } = require('./bench-support');

const stack = require(path.join(root, 'scripts/local-stack.js'));
const { skipKafkaBacklog, runGroupIds } = require(path.join(root, 'tests/e2e/support/kafka-backlog.js'));
const { localUrls } = require(path.join(root, 'tests/e2e/support/provision.js'));

/** Every port a stack on `portBase` listens on (HTTP, gRPC, fake upstream). */
function stackPorts(portBase) {
  const p = stack.ports(portBase);
  return [p.upstream, ...stack.SERVICES.flatMap((s) => [p[s].http, p[s].grpc])];
}

/**
 * @param {{portBase: number, runId: string, extra?: Record<string, Record<string, string>>, logLevel?: string, log?: (s: string) => void}} o
 * `extra[name]` adds environment per service ('fake-upstream' included), over LOG_LEVEL.
 */
async function startRunStack(o) {
  const missing = stack.SERVICES.filter((s) => !fs.existsSync(path.join(root, `services/${s}/dist/main.js`)));
  if (missing.length) throw new Error(`not built: ${missing.join(', ')} (run npm run build)`);
  const busy = [];
  for (const port of stackPorts(o.portBase)) if (await portInUse(port)) busy.push(port);
  if (busy.length) throw new Error(`port base ${o.portBase}: ports ${busy.join(', ')} are in use (another stack?); choose another port base`);
  const infra = stack.readInfraEnv();
  const dbPrefix = o.runId;
  const groupIds = runGroupIds(stack.SERVICES, dbPrefix);
  const logDir = path.join(root, '.enclave/logs', dbPrefix);
  const extra = {};
  for (const s of stack.SERVICES) extra[s] = { LOG_LEVEL: o.logLevel || 'warn' };
  for (const [name, env] of Object.entries(o.extra || {})) extra[name] = { ...extra[name], ...env };
  await skipKafkaBacklog({ brokers: infra.KAFKA_BROKERS.split(','), groupIds });
  (o.log || console.log)(`starting the stack on port base ${o.portBase} (db prefix ${dbPrefix}, logs ${path.relative(root, logDir)})`);
  const running = await stack.startStack({ portBase: o.portBase, dbPrefix, groupSuffix: dbPrefix, logDir, readyTimeoutMs: 90_000, authFirst: true, extra });
  return {
    procs: running.procs,
    ports: running.ports,
    urlFor: localUrls(running.ports),
    upstreamUrl: `http://127.0.0.1:${running.ports.upstream}/v1`,
    infra,
    dbPrefix,
    groupIds,
    /** Stops the processes, then drops the run's databases unless `keepData`. */
    stop: async ({ keepData = false } = {}) => {
      await running.stop();
      if (!keepData) await dropRunDatabases(infra.MONGO_URL, dbPrefix);
    },
  };
}

async function dropRunDatabases(mongoUrl, dbPrefix) {
  const mongoose = require(require.resolve('mongoose', { paths: [root] }));
  const conn = await mongoose.createConnection(mongoUrl, { serverSelectionTimeoutMS: 5_000 }).asPromise();
  try {
    for (const service of stack.SERVICES) await conn.useDb(`${dbPrefix}_${service.replace(/-/g, '_')}`).dropDatabase();
  } finally {
    await conn.close();
  }
}

module.exports = { stack, startRunStack, dropRunDatabases, stackPorts };
