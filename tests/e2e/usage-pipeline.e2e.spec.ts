// Is every acknowledged completion billed and audited exactly once, on the real local stack — with
// billing and audit killed -9 in the middle of ingesting a burst and restarted, with the Kafka
// broker restarted in the middle of a burst (what failed with a 5xx is not billed as a completed
// answer), and with chat-gateway killed -9 right after a burst it acknowledged?
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import mongoose, { type Connection } from 'mongoose';
import { TOPICS } from '@enclave/proto';
import { loadInfraEnv, uniqueName, waitFor } from '@enclave/testing';
import { call } from './http';
import { runGroupIds, skipKafkaBacklog } from './support/kafka-backlog';
import { localUrls, provisionTenant, type ProvisionedTenant } from './support/provision';
import { absorb, audited, billed, burst, emptyOutcome, settle, type BurstOutcome, type UsageFacts } from './support/usage-pipeline';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const stack = require('../../scripts/local-stack.js');

const ROOT = path.resolve(__dirname, '../..');
const PORT_BASE = 20100;
const N = 300;
const CONCURRENCY = 20;
const run = uniqueName('up').replace(/[^a-z0-9]/gi, '').toLowerCase();
const dbPrefix = `up${run.slice(-10)}`;
const logDir = path.join(ROOT, '.enclave/logs', dbPrefix);
const brokers = stack.readInfraEnv().KAFKA_BROKERS.split(',') as string[];
const stackOptions = {
  portBase: PORT_BASE,
  dbPrefix,
  groupSuffix: dbPrefix,
  logDir,
  readyTimeoutMs: 90_000,
  authFirst: true,
  extra: { 'chat-gateway': { RATE_LIMIT_PER_MINUTE: '1000000' } },
};
const usageGroups = { billing: `billing-${dbPrefix}-usage`, audit: `audit-${dbPrefix}` };
const sh = promisify(execFile);

jest.setTimeout(600_000);

describe('the usage pipeline: every acknowledged completion billed and audited once', () => {
  let running: { procs: Record<string, ChildProcess>; stop: () => Promise<void> } | undefined;
  let tenant: ProvisionedTenant;
  let virtualKey = '';
  let billingDb: Connection;
  let auditDb: Connection;
  let brokerStopped = false;
  const all: BurstOutcome = emptyOutcome();
  const ports = stack.ports(PORT_BASE);
  const gatewayUrl = `http://127.0.0.1:${ports['chat-gateway'].http}`;

  const kill = async (name: string) => {
    const proc = running!.procs[name]!;
    const exited = new Promise((resolve) => proc.once('exit', resolve));
    expect(proc.kill('SIGKILL')).toBe(true);
    await exited;
  };
  const restart = async (name: string) => {
    const out = fs.openSync(path.join(logDir, `${name}.log`), 'a');
    const child = spawn(process.execPath, [path.join(ROOT, `services/${name}/dist/main.js`)], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, ...stack.serviceEnv(name, stackOptions) },
      stdio: ['ignore', out, out],
    });
    running!.procs[name] = child;
    await stack.waitReady(`http://127.0.0.1:${ports[name].http}/readyz`, child, 90_000);
  };
  const kafkaPart = (command: 'stop' | 'start' | 'health') => sh('bash', [path.join(ROOT, 'scripts/infra/kafka.sh'), command], { cwd: ROOT, timeout: 180_000 });
  const restartBroker = async () => {
    brokerStopped = true;
    await kafkaPart('stop');
    await kafkaPart('start');
    await kafkaPart('health');
    brokerStopped = false;
  };

  /** What is billed and audited is exactly what was acknowledged (plus, at most once each, answers the client never got). */
  const expectExactlyOnce = async () => {
    const lag = { brokers, topic: TOPICS.chatGateway.name };
    await settle(async () => (await billed(billingDb, tenant.tenantId)).rows, all.acked.size, { ...lag, groupIds: [usageGroups.billing] }, `${all.acked.size} usage records billed`);
    await settle(async () => (await audited(auditDb, tenant.tenantId)).rows, all.acked.size, { ...lag, groupIds: [usageGroups.audit] }, `${all.acked.size} usage records audited`);
    const unknown = new Set(all.other.map((o) => o.requestId).filter((id): id is string => Boolean(id)));
    for (const [where, facts] of [['billing', await billed(billingDb, tenant.tenantId)], ['audit', await audited(auditDb, tenant.tenantId)]] as Array<[string, UsageFacts]>) {
      const acked = [...all.acked].filter((id) => facts.byRequest.get(id)?.rows === 1 && facts.byRequest.get(id)?.outcomes[0] === 'ok');
      expect({ where, acknowledgedOnceAsOk: acked.length }).toEqual({ where, acknowledgedOnceAsOk: all.acked.size });
      const twice = [...facts.byRequest].filter(([, f]) => f.rows > 1).map(([id]) => id);
      expect({ where, twice }).toEqual({ where, twice: [] });
      const failedAsOk = [...all.failed].filter((id) => facts.byRequest.get(id)?.outcomes.includes('ok'));
      expect({ where, failedAsOk }).toEqual({ where, failedAsOk: [] });
      const strangers = [...facts.byRequest.keys()].filter((id) => !all.acked.has(id) && !all.failed.has(id) && !unknown.has(id));
      expect({ where, strangers }).toEqual({ where, strangers: [] });
    }
    const verify = await call('POST', `http://127.0.0.1:${ports.audit.http}/v1/tenants/${tenant.tenantId}/audit/verify`, { token: tenant.admin.token });
    expect({ status: verify.status, intact: verify.body?.intact }).toEqual({ status: 200, intact: true });
  };

  beforeAll(async () => {
    await skipKafkaBacklog({ brokers, groupIds: runGroupIds(stack.SERVICES, dbPrefix) });
    running = await stack.startStack(stackOptions);
    tenant = await provisionTenant({
      urlFor: localUrls(ports),
      smtpApiUrl: stack.readInfraEnv().SMTP_API_URL,
      operatorToken: stack.loadSecrets().operatorToken,
      upstreamUrl: `http://127.0.0.1:${ports.upstream}/v1`,
      members: 1,
      label: run,
    });
    const created = await call('POST', `${gatewayUrl}/v1/tenants/${tenant.tenantId}/virtual-keys`, {
      token: tenant.admin.token,
      body: { label: 'usage pipeline', rateLimitPerMinute: 1_000_000 },
    });
    expect(created.status).toBe(201);
    virtualKey = created.body.key;
    const mongoUrl = loadInfraEnv().mongoUrl;
    billingDb = await mongoose.createConnection(mongoUrl, { dbName: `${dbPrefix}_billing` }).asPromise();
    auditDb = await mongoose.createConnection(mongoUrl, { dbName: `${dbPrefix}_audit` }).asPromise();
    // The provider key reaches the gateway through its events: the first answer tells it has.
    await waitFor(
      async () => {
        const first = await burst(gatewayUrl, virtualKey, 1, 1);
        absorb(all, first);
        return first.acked.size === 1;
      },
      { timeoutMs: 60_000, intervalMs: 500, description: 'a first completion' },
    );
  }, 300_000);

  afterAll(async () => {
    if (brokerStopped) await kafkaPart('start').then(() => kafkaPart('health')).catch(() => undefined);
    await billingDb?.close();
    await auditDb?.close();
    await running?.stop();
  }, 240_000);

  it('billing and audit killed -9 in the middle of ingesting a burst, then restarted', async () => {
    const billedBefore = (await billed(billingDb, tenant.tenantId)).rows;
    let killed: Promise<void> | undefined;
    const burstOutcome = await burst(gatewayUrl, virtualKey, N, CONCURRENCY, async (done) => {
      if (done !== Math.floor(N / 3)) return;
      // Ingestion under way: some of this burst is billed already, more keeps coming.
      await waitFor(async () => (await billed(billingDb, tenant.tenantId)).rows > billedBefore, { timeoutMs: 60_000, description: 'the burst being ingested' });
      killed = Promise.all([kill('billing'), kill('audit')]).then(() => undefined);
    });
    absorb(all, burstOutcome);
    await killed;
    expect(killed).toBeDefined();
    expect(burstOutcome.failed.size + burstOutcome.other.length).toBe(0);
    await Promise.all([restart('billing'), restart('audit')]);
    await expectExactlyOnce();
  });

  it('the Kafka broker restarted in the middle of a burst (its data kept)', async () => {
    let restarted: Promise<void> | undefined;
    try {
      absorb(
        all,
        await burst(gatewayUrl, virtualKey, N, CONCURRENCY, (done) => {
          if (done === Math.floor(N / 3)) restarted = restartBroker();
        }),
      );
      await restarted;
    } finally {
      await restarted?.catch(() => undefined);
      if (brokerStopped) {
        await kafkaPart('start');
        await kafkaPart('health');
        brokerStopped = false;
      }
    }
    expect(restarted).toBeDefined();
    await expectExactlyOnce();
  });

  it('chat-gateway killed -9 right after a burst it acknowledged, then restarted', async () => {
    const before = all.acked.size;
    const burstOutcome = await burst(gatewayUrl, virtualKey, N, CONCURRENCY);
    await kill('chat-gateway');
    absorb(all, burstOutcome);
    expect(burstOutcome.failed.size + burstOutcome.other.length).toBe(0);
    expect(all.acked.size).toBe(before + N);
    await restart('chat-gateway');
    await expectExactlyOnce();
  });
});
