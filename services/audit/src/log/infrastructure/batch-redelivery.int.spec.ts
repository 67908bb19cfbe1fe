// Against real FerretDB: when a process dies in the middle of appending a batch (part of its
// ordered insert in the log) and the batch is redelivered to a fresh process, does every event end
// up logged exactly once, each tenant's chain without gaps, and does a log written before event
// ids became the _id still refuse a second entry for an event?
import type { Connection } from 'mongoose';
import { appendEntry, EMPTY_CHAIN, type AuditEntry, type EntryDraft } from '../domain/audit-entry';
import { verifyChain } from '../domain/verify-chain';
import { AppendToLog } from '../application/append-to-log';
import { connectTestDb } from '../../test-support/audit-test-kit.helper.spec';
import { MongoAuditLog } from './mongo-audit-log';

jest.setTimeout(60_000);

let connection: Connection;
let seq = 0;

beforeAll(async () => {
  connection = await connectTestDb('audit-redelivery');
});

afterAll(async () => {
  await connection?.dropDatabase().catch(() => undefined);
  await connection?.close();
});

const draft = (tenantId: string, eventId: string): EntryDraft => ({
  tenantId,
  eventId,
  service: 'chat-gateway',
  type: 'chat-gateway.UsageRecorded',
  actor: { kind: 'service', id: 'chat-gateway', role: '' },
  subjectId: 'sub-1',
  occurredAt: new Date(1_740_000_000_000 + ++seq),
  recordedAt: new Date(1_740_000_001_000 + seq),
  payload: `{"usageRecorded":{"promptTokens":${seq}}}`,
});

async function chainOf(log: MongoAuditLog, tenant: string): Promise<AuditEntry[]> {
  return log.page(tenant, 0, 10_000);
}

describe('a batch redelivered after its writer died mid-insert', () => {
  // More than 100 per tenant: FerretDB inserts an ordered insertMany 100 documents at a time and,
  // when a batch fails on a duplicate, goes on with the next one (entries past the refused one go
  // in, built on entries that did not): the log must never send it more than one such batch.
  it('logs every event once, in gap-free chains, whatever part of the batch went in before', async () => {
    const log = new MongoAuditLog(connection);
    await log.init();
    const tenants = ['red-a', 'red-b', 'red-c'];
    const batch = Array.from({ length: 330 }, (_, i) => draft(tenants[i % 3]!, `red-${i}`));
    // The dead writer's ordered insert: all of red-a's chain, then the first 7 of red-b's.
    const written: AuditEntry[] = [];
    for (const tenant of ['red-a', 'red-b']) {
      let head = EMPTY_CHAIN;
      for (const d of batch.filter((x) => x.tenantId === tenant).slice(0, tenant === 'red-a' ? 110 : 7)) written.push((head = appendEntry(head, d)));
    }
    expect(await log.insertMany(written)).toEqual({ inserted: 117 });

    // A fresh process (no cached heads) gets the whole batch again, twice.
    const outcome = await new AppendToLog(log).executeBatch(batch);
    expect(outcome).toEqual({ appended: 330 - 117, duplicates: 117 });
    expect(await new AppendToLog(log).executeBatch(batch)).toEqual({ appended: 0, duplicates: 330 });

    for (const tenant of tenants) {
      const chain = await chainOf(log, tenant);
      expect(chain.map((e) => e.eventId).sort()).toEqual(batch.filter((d) => d.tenantId === tenant).map((d) => d.eventId).sort());
      expect(chain.map((e) => e.seq)).toEqual(Array.from({ length: 110 }, (_, i) => i + 1));
      await expect(verifyChain(chain)).resolves.toMatchObject({ intact: true, entriesChecked: 110 });
    }
    expect(await connection.collection('audit_entries').countDocuments({ tenantId: { $in: tenants } })).toBe(330);
  });

  it('refuses a second entry for an event of a log written with ObjectId _ids (before event ids became the _id)', async () => {
    const legacyDb = connection.useDb(`${connection.name}_legacy`.slice(0, 63));
    const legacy = legacyDb.collection('audit_entries');
    await legacy.createIndex({ tenantId: 1, seq: 1 }, { unique: true });
    await legacy.createIndex({ eventId: 1 }, { unique: true });
    const old = appendEntry(EMPTY_CHAIN, draft('legacy', 'legacy-1'));
    await legacy.insertOne({ ...old, actor: { ...old.actor } });
    const log = new MongoAuditLog(legacyDb);
    await log.init();
    const append = new AppendToLog(log);
    expect(await append.executeBatch([draft('legacy', 'legacy-1'), draft('legacy', 'legacy-2')])).toEqual({ appended: 1, duplicates: 1 });
    const chain = await chainOf(log, 'legacy');
    expect(chain.map((e) => [e.seq, e.eventId])).toEqual([
      [1, 'legacy-1'],
      [2, 'legacy-2'],
    ]);
    await expect(verifyChain(chain)).resolves.toMatchObject({ intact: true });
    await legacyDb.dropDatabase();
  });
});
