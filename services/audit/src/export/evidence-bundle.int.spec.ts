// Against real Kafka and FerretDB: do consumed events get a scheduled signed checkpoint (and no endless ones for its own entry), export as a bundle that the offline verifier — in process and as the built command in a directory with nothing else, on one thread and with its worker threads — finds intact, and is an entry altered, removed or reordered in the bundle, or altered in the database, detected and named?
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Connection } from 'mongoose';
import type { Kafka, Producer } from 'kafkajs';
import { eventsV1, TOPICS } from '@enclave/proto';
import { defineTopic, type Actor, type TenantId } from '@enclave/eventing';
import { uniqueName, waitFor } from '@enclave/testing';
import { AuditRuntime } from '../composition/audit-runtime';
import { connectTestDb, memberAdded, newTenantId, publish, quietLogger, testKafka, testSigningKey, usageRecorded } from '../test-support/audit-test-kit.helper.spec';
import { runCli } from '../cli/verify-bundle';
import type { EvidenceBundle } from './domain/bundle';
import { parseBundle } from './domain/parse-bundle';
import { verifyBundle } from './domain/verify-bundle';

jest.setTimeout(120_000);

const DIST = resolve(__dirname, '../../dist');
const builtCli = existsSync(join(DIST, 'cli/verify-bundle.js'));
let connection: Connection;
let kafka: Kafka;
let producer: Producer;
let runtime: AuditRuntime;
let work: string;
let isolatedCli: string;
const tenant = newTenantId();
const auditor: Actor = { kind: eventsV1.ActorKind.ACTOR_KIND_PERSON, id: 'sub-auditor', role: 'auditor' };
const suffix = `.${uniqueName('t')}`;
const tenantTopic = defineTopic(TOPICS.tenant.name + suffix, TOPICS.tenant.codec);
const gatewayTopic = defineTopic(TOPICS.chatGateway.name + suffix, TOPICS.chatGateway.codec);
const chain = () => connection.collection('audit_entries').find({ tenantId: tenant }).sort({ seq: 1 }).toArray();

beforeAll(async () => {
  connection = await connectTestDb('audit-bundle');
  kafka = testKafka();
  runtime = new AuditRuntime({
    connection,
    logger: quietLogger(),
    checkpoints: { signingKey: testSigningKey(), intervalMs: 250 },
    kafka: { client: kafka, groupId: uniqueName('audit'), topicSuffix: suffix },
  });
  await runtime.start();
  producer = kafka.producer({ allowAutoTopicCreation: true });
  await producer.connect();
  work = mkdtempSync(join(tmpdir(), 'audit-bundle-'));
  if (builtCli) {
    // The command alone in a directory with no node_modules anywhere above it: it can use nothing but node.
    isolatedCli = join(work, 'verifier', 'cli', 'verify-bundle.js');
    cpSync(DIST, join(work, 'verifier'), { recursive: true, filter: (src) => !src.endsWith('.tsbuildinfo') });
  }
});

afterAll(async () => {
  await producer?.disconnect();
  await runtime?.stop();
  await connection?.dropDatabase().catch(() => undefined);
  await connection?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

let bundle: EvidenceBundle;
const inProcess = (b: unknown) => verifyBundle(parseBundle(JSON.parse(JSON.stringify(b))));

function asProcess(b: unknown, ...args: string[]) {
  const file = join(work, `${uniqueName('bundle')}.json`);
  writeFileSync(file, JSON.stringify(b));
  const keyFile = join(work, 'trusted.pem');
  writeFileSync(keyFile, runtime.key.published.pem);
  const r = spawnSync(process.execPath, [isolatedCli, file, '--public-key', keyFile, ...args], { cwd: work, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const withEntries = (entries: EvidenceBundle['entries']): EvidenceBundle => ({ ...bundle, entries });

describe('checkpoint, export and offline verification of consumed events', () => {
  beforeAll(async () => {
    const duplicated = memberAdded(tenantTopic, tenant, 'sub-admin', 'sub-m0');
    await publish(producer, tenantTopic.name, duplicated);
    for (let i = 1; i <= 10; i++) await publish(producer, gatewayTopic.name, usageRecorded(gatewayTopic, tenant, `sub-m${i % 3}`, i));
    await publish(producer, tenantTopic.name, duplicated, memberAdded(tenantTopic, tenant, 'sub-admin', 'sub-m9'));
    // Twelve consumed events (the duplicate once); the 250 ms schedule may already have signed a
    // checkpoint over some of them, whose own entry is not counted here.
    const consumed = async () => (await chain()).filter((e) => e.type !== 'audit.AuditCheckpointSigned').length;
    await waitFor(async () => (await consumed()) === 12, { description: 'twelve entries', timeoutMs: 30_000 });
  });

  it('the schedule signs checkpoints as the tree grows; its own entries alone do not call for another', async () => {
    const eventsCovered = async () => {
      const latest = await runtime.checkpointStore.latest(tenant);
      const last = (await chain()).filter((e) => e.type !== 'audit.AuditCheckpointSigned').at(-1);
      return latest !== undefined && latest.treeSize >= Number(last?.seq) && latest;
    };
    const signed = await waitFor(eventsCovered, { description: 'a scheduled checkpoint covering every consumed event', timeoutMs: 30_000 });
    expect(signed).toMatchObject({ tenantId: tenant, keyId: runtime.key.keyId });
    await runtime.scheduler.stop();
    const checkpoints = (await runtime.checkpointStore.newestFirst(tenant, undefined, 100)).length;
    await waitFor(async () => (await chain()).filter((e) => e.type === 'audit.AuditCheckpointSigned').length === checkpoints, {
      description: 'an AuditCheckpointSigned entry per checkpoint in the chain',
      timeoutMs: 30_000,
    });
    await expect(runtime.makeCheckpoint.execute(tenant, 'schedule', auditor)).resolves.toMatchObject({ created: false, reason: 'only_checkpoint_entries' });
    expect(await connection.collection('audit_entries').countDocuments({ tenantId: tenant, type: 'tenant.MemberAdded' })).toBe(2);
  });

  it('exports the log as a bundle the verifier finds intact in process', async () => {
    bundle = await runtime.exportBundle.execute(tenant as TenantId, { fromSeq: 1 }, auditor);
    expect(bundle.entries.length).toBeGreaterThanOrEqual(13);
    expect(bundle.checkpoints.at(-1)!.treeSize).toBe(bundle.toSeq);
    expect(inProcess(bundle)).toMatchObject({ intact: true, entriesChecked: bundle.entries.length });
    const out: string[] = [];
    const file = join(work, 'in-process.json');
    writeFileSync(file, JSON.stringify(bundle));
    expect(await runCli([file, '--trust-bundle-key'], { out: (l) => out.push(l), err: (l) => out.push(l), readFile: (p) => readFileSync(p, 'utf8'), cwd: work })).toBe(0);
    expect(out.join('\n')).toContain('RESULT: INTACT');
  });

  (builtCli ? it : it.skip)('the built command, alone in a directory, finds it intact against the trusted key (exit 0), on one thread and with workers', () => {
    for (const threads of ['--single-thread', '--parallel']) {
      const r = asProcess(bundle, threads);
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      expect(r.out).toContain('RESULT: INTACT');
    }
  });

  describe.each([
    [
      'an entry altered',
      () => withEntries(bundle.entries.map((e) => (e.seq === 5 ? { ...e, payload: '{"usageRecorded":{"promptTokens":1}}' } : e))),
      { seq: 5, eventId: () => bundle.entries[4]!.eventId, reason: 'hash_mismatch' },
    ],
    ['an entry removed', () => withEntries(bundle.entries.filter((e) => e.seq !== 7)), { seq: 7, eventId: () => '', reason: 'removed' }],
    [
      'two entries reordered',
      () => withEntries([...bundle.entries.slice(0, 8), bundle.entries[9]!, bundle.entries[8]!, ...bundle.entries.slice(10)]),
      { seq: 9, eventId: () => bundle.entries[8]!.eventId, reason: 'reordered' },
    ],
  ])('%s in the bundle', (_label, tamper, expected) => {
    it('is named in process', () => {
      expect(inProcess(tamper()).failure).toMatchObject({ seq: expected.seq, eventId: expected.eventId(), reason: expected.reason });
    });

    (builtCli ? it : it.skip)('is named by the built command (exit 1), on one thread and by its worker threads alike', () => {
      const tampered = tamper();
      const single = asProcess(tampered, '--single-thread');
      expect(single.code).toBe(1);
      expect(single.out).toContain(`first problem at seq ${expected.seq}`);
      expect(single.out).toContain(`: ${expected.reason}`);
      if (expected.eventId()) expect(single.out).toContain(expected.eventId());
      const parallel = asProcess(tampered, '--parallel');
      expect(parallel.err).toBe('');
      expect(parallel.out).toBe(single.out);
      expect(parallel.code).toBe(1);
    });
  });

  (builtCli ? it : it.skip)('the built command exits 2 on unreadable input', () => {
    expect(asProcess('not a bundle').code).toBe(2);
  });

  it('an entry altered in the database: a new export carries it, and both verifiers name it', async () => {
    await connection.collection('audit_entries').updateOne({ tenantId: tenant, seq: 3 }, { $set: { subjectId: 'sub-forged' } });
    const tampered = await runtime.exportBundle.execute(tenant as TenantId, { fromSeq: 2, toSeq: 6 }, auditor);
    expect(inProcess(tampered).failure).toMatchObject({ seq: 3, reason: 'hash_mismatch' });
    await expect(runtime.verifyLog.execute(tenant as TenantId, auditor)).resolves.toMatchObject({ intact: false, firstBroken: { seq: 3, reason: 'hash_mismatch' } });
  });
});
