// Does AppendToLog build gap-free per-tenant chains under concurrency, ignore repeated events and recover when another writer took its seq?
import { appendEntry, type EntryDraft } from '../domain/audit-entry';
import { verifyChain } from '../domain/verify-chain';
import { AppendToLog } from './append-to-log';
import { InMemoryAuditLog } from './in-memory-audit-log.helper.spec';

const draft = (tenantId: string, eventId: string): EntryDraft => ({
  tenantId,
  eventId,
  service: 'tenant',
  type: 'tenant.SettingsChanged',
  actor: { kind: 'person', id: 'sub-a', role: 'admin' },
  subjectId: '',
  occurredAt: new Date('2025-03-01T00:00:00.000Z'),
  recordedAt: new Date('2025-03-01T00:00:01.000Z'),
  payload: '{}',
});

describe('AppendToLog', () => {
  it('keeps one gap-free chain per tenant when appends of two tenants arrive concurrently', async () => {
    const store = new InMemoryAuditLog();
    const append = new AppendToLog(store);
    const drafts = Array.from({ length: 30 }, (_, i) => draft(i % 2 === 0 ? 'a' : 'b', `e${i}`));
    const outcomes = await Promise.all(drafts.map((d) => append.execute(d)));
    expect(outcomes.every((o) => o.appended)).toBe(true);
    for (const tenant of ['a', 'b']) {
      expect(store.chain(tenant).map((e) => e.seq)).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
      await expect(verifyChain(store.chain(tenant))).resolves.toEqual({ intact: true, entriesChecked: 15 });
    }
  });

  it('appends a repeated event id only once', async () => {
    const store = new InMemoryAuditLog();
    const append = new AppendToLog(store);
    await append.execute(draft('a', 'e1'));
    await expect(append.execute(draft('a', 'e1'))).resolves.toEqual({ appended: false, reason: 'duplicate_event' });
    expect(store.entries).toHaveLength(1);
  });

  it('reloads the head and retries when another writer appended to the same chain', async () => {
    const store = new InMemoryAuditLog();
    const append = new AppendToLog(store);
    await append.execute(draft('a', 'e1'));
    // Another process appends seq 2 behind this one's back.
    store.entries.push(appendEntry(await store.head('a'), draft('a', 'other')));
    await expect(append.execute(draft('a', 'e3'))).resolves.toEqual({ appended: true, seq: 3 });
    await expect(verifyChain(store.chain('a'))).resolves.toEqual({ intact: true, entriesChecked: 3 });
  });

  it('keeps appending after a failed append', async () => {
    const store = new InMemoryAuditLog();
    const append = new AppendToLog(store);
    const original = store.insert.bind(store);
    store.insert = async () => {
      throw new Error('database down');
    };
    await expect(append.execute(draft('a', 'e1'))).rejects.toThrow('database down');
    store.insert = original;
    await expect(append.execute(draft('a', 'e1'))).resolves.toEqual({ appended: true, seq: 1 });
  });
});

describe('AppendToLog.executeBatch', () => {
  it('appends a batch of interleaved tenants as one gap-free chain per tenant, in the order given', async () => {
    const store = new InMemoryAuditLog();
    const append = new AppendToLog(store);
    const drafts = Array.from({ length: 40 }, (_, i) => draft(i % 3 === 0 ? 'a' : 'b', `e${i}`));
    await expect(append.executeBatch(drafts)).resolves.toEqual({ appended: 40, duplicates: 0 });
    for (const tenant of ['a', 'b']) {
      const expected = drafts.filter((d) => d.tenantId === tenant).map((d) => d.eventId);
      expect(store.chain(tenant).map((e) => e.eventId)).toEqual(expected);
      await expect(verifyChain(store.chain(tenant))).resolves.toMatchObject({ intact: true, entriesChecked: expected.length });
    }
  });

  it('skips events already logged and events repeated inside the batch: a redelivered batch adds nothing', async () => {
    const store = new InMemoryAuditLog();
    const append = new AppendToLog(store);
    await append.execute(draft('a', 'e1'));
    await expect(append.executeBatch([draft('a', 'e1'), draft('a', 'e2'), draft('a', 'e2'), draft('a', 'e3')])).resolves.toEqual({ appended: 2, duplicates: 2 });
    await expect(append.executeBatch([draft('a', 'e1'), draft('a', 'e2'), draft('a', 'e3')])).resolves.toEqual({ appended: 0, duplicates: 3 });
    expect(store.chain('a').map((e) => [e.seq, e.eventId])).toEqual([
      [1, 'e1'],
      [2, 'e2'],
      [3, 'e3'],
    ]);
  });

  it('keeps what went in and retries the rest when another writer took a seq in the middle of the batch', async () => {
    const store = new InMemoryAuditLog();
    const append = new AppendToLog(store);
    await append.executeBatch([draft('a', 'e1')]);
    // Another process appends seq 2 behind this one's back.
    store.entries.push(appendEntry(await store.head('a'), draft('a', 'other')));
    await expect(append.executeBatch([draft('a', 'e2'), draft('a', 'e3')])).resolves.toEqual({ appended: 2, duplicates: 0 });
    expect(store.chain('a').map((e) => e.eventId)).toEqual(['e1', 'other', 'e2', 'e3']);
    await expect(verifyChain(store.chain('a'))).resolves.toMatchObject({ intact: true });
  });

  it('retries only the rest when another writer logged one of the batch events meanwhile', async () => {
    const store = new InMemoryAuditLog();
    const append = new AppendToLog(store);
    const insertMany = store.insertMany.bind(store);
    let raced = false;
    store.insertMany = async (entries) => {
      if (!raced) {
        raced = true;
        // Between the lookup and the insert, another writer logs e2 under seq 1.
        store.entries.push(appendEntry(await store.head('a'), draft('a', 'e2')));
      }
      return insertMany(entries);
    };
    await expect(append.executeBatch([draft('a', 'e1'), draft('a', 'e2'), draft('a', 'e3')])).resolves.toEqual({ appended: 2, duplicates: 1 });
    expect(store.chain('a').map((e) => e.eventId)).toEqual(['e2', 'e1', 'e3']);
    await expect(verifyChain(store.chain('a'))).resolves.toMatchObject({ intact: true });
  });

  it('serializes with single appends of the same tenant', async () => {
    const store = new InMemoryAuditLog();
    const append = new AppendToLog(store);
    await Promise.all([append.execute(draft('a', 'x1')), append.executeBatch([draft('a', 'y1'), draft('a', 'y2')]), append.execute(draft('a', 'x2'))]);
    expect(store.chain('a').map((e) => e.eventId)).toEqual(['x1', 'y1', 'y2', 'x2']);
    await expect(verifyChain(store.chain('a'))).resolves.toMatchObject({ intact: true, entriesChecked: 4 });
  });
});
