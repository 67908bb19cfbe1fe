// Against a real MongoDB-wire database (FerretDB): does the event store keep streams consistent
// without transactions — one winner per expected version, no partial batches, tenant-scoped
// reads, unique store order under concurrent appenders, and the outbox the relay reads?
import mongoose, { type Connection } from 'mongoose';
import { loadInfraEnv, uniqueName } from '@enclave/testing';
import { eventsV1 } from '@enclave/proto';
import { tenantId, type TenantId } from '../tenancy/tenant-id';
import { TenantScopeError } from '../tenancy/tenant-scope-error';
import { ConcurrencyError } from './concurrency-error';
import { EventStore } from './event-store';
import type { NewEvent } from './stored-event';

const tenantA = tenantId('tenant-a');
const tenantB = tenantId('tenant-b');
const actor = { kind: eventsV1.ActorKind.ACTOR_KIND_PERSON, id: 'subj-1', role: 'owner' };
const event = (type: string, tenant: TenantId = tenantA): NewEvent => ({ type, tenantId: tenant, actor, payload: Buffer.from(type) });


// Kafka group joins and topic metadata can take seconds on a small machine.
jest.setTimeout(60_000);
describe('EventStore (FerretDB)', () => {
  let connection: Connection;
  let store: EventStore;

  beforeAll(async () => {
    connection = await mongoose.createConnection(loadInfraEnv().mongoUrl, { dbName: uniqueName('evstore') }).asPromise();
    store = new EventStore(connection, { collection: 'events' });
    await store.init();
  });
  afterAll(async () => {
    await connection.dropDatabase().catch(() => undefined);
    await connection.close();
  });

  it('appends consecutive versions and reads them back in order', async () => {
    const stream = uniqueName('s');
    const first = await store.append(stream, 0, [event('A'), event('B')]);
    expect(first.version).toBe(2);
    const second = await store.append(stream, 2, [event('C')]);
    expect(second.version).toBe(3);
    const read = await store.readStream(stream, { tenantId: tenantA });
    expect(read.map((e) => [e.version, e.type, e.payload.toString()])).toEqual([
      [1, 'A', 'A'],
      [2, 'B', 'B'],
      [3, 'C', 'C'],
    ]);
    expect(read.map((e) => e.id)).toEqual([...first.events, ...second.events].map((e) => e.id));
    expect(read[2]!.seq).toBeGreaterThan(read[1]!.seq);
  });

  it('lets exactly one of two concurrent appends at the same expected version win', async () => {
    const stream = uniqueName('s');
    await store.append(stream, 0, [event('Created')]);
    const results = await Promise.allSettled([
      store.append(stream, 1, [event('Left1'), event('Left2')]),
      store.append(stream, 1, [event('Right1')]),
    ]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]!.reason).toBeInstanceOf(ConcurrencyError);
    // The loser left nothing behind: the stream is exactly the winner's events, no gaps.
    const types = (await store.readStream(stream, { tenantId: tenantA })).map((e) => e.type);
    expect([['Created', 'Left1', 'Left2'], ['Created', 'Right1']]).toContainEqual(types);
  });

  it('appendOnce starts a stream once: a repeat, even a concurrent one, records nothing and answers false', async () => {
    const stream = uniqueName('once');
    const results = await Promise.all([store.appendOnce(stream, [event('Confirmed')]), store.appendOnce(stream, [event('Confirmed')])]);
    expect(results.sort()).toEqual([false, true]);
    expect(await store.appendOnce(stream, [event('Confirmed')])).toBe(false);
    expect((await store.readStream(stream, { tenantId: tenantA })).map((e) => e.type)).toEqual(['Confirmed']);
  });

  it('keeps one winner per version when many writers race on many streams', async () => {
    const streams = Array.from({ length: 8 }, () => uniqueName('race'));
    const outcomes = await Promise.all(
      streams.map(async (stream) => {
        const settled = await Promise.allSettled([0, 1, 2, 3].map((w) => store.append(stream, 0, [event(`W${w}a`), event(`W${w}b`)])));
        const losers = settled.filter((r) => r.status === 'rejected');
        expect(losers.every((r) => (r as PromiseRejectedResult).reason instanceof ConcurrencyError)).toBe(true);
        const stored = await store.readStream(stream, { tenantId: tenantA });
        return { winners: settled.length - losers.length, versions: stored.map((e) => e.version), writers: new Set(stored.map((e) => e.type[1])) };
      }),
    );
    for (const o of outcomes) expect(o).toEqual({ winners: 1, versions: [1, 2], writers: expect.any(Set) });
    for (const o of outcomes) expect(o.writers.size).toBe(1);
  });

  it('refuses an append at a version the stream has not reached, or in the middle of an append', async () => {
    const stream = uniqueName('s');
    await expect(store.append(stream, 3, [event('X')])).rejects.toBeInstanceOf(ConcurrencyError);
    await store.append(stream, 0, [event('A'), event('B'), event('C')]);
    await expect(store.append(stream, 2, [event('X')])).rejects.toBeInstanceOf(ConcurrencyError);
    await expect(store.append(stream, 0, [event('X')])).rejects.toBeInstanceOf(ConcurrencyError);
    expect((await store.readStream(stream, { tenantId: tenantA })).map((e) => e.type)).toEqual(['A', 'B', 'C']);
  });

  it('removes its own documents when a batch conflicts after its first event', async () => {
    const stream = uniqueName('s');
    await store.append(stream, 0, [event('A')]);
    // A foreign writer (bypassing append's checks) already holds version 3.
    await connection.collection('events').insertOne({ _id: 'foreign', streamId: stream, version: 3, tenantId: tenantA, seq: 0, appendEnd: 3 } as never);
    await expect(store.append(stream, 1, [event('B'), event('C')])).rejects.toBeInstanceOf(ConcurrencyError);
    const versions = (await connection.collection('events').find({ streamId: stream }).sort({ version: 1 }).toArray()).map((d) => d.version);
    expect(versions).toEqual([1, 3]);
  });

  it('reads a stream only within its tenant and refuses a read without tenant', async () => {
    const stream = uniqueName('s');
    await store.append(stream, 0, [event('A')]);
    expect(await store.readStream(stream, { tenantId: tenantB })).toEqual([]);
    await expect(store.readStream(stream, {} as { tenantId: TenantId })).rejects.toBeInstanceOf(TenantScopeError);
    await expect(store.append(stream, 1, [event('B', tenantB)])).rejects.toBeInstanceOf(TenantScopeError);
  });

  it('folds a stream into state and its version', async () => {
    const stream = uniqueName('s');
    await store.append(stream, 0, [event('A'), event('B')]);
    const folded = await store.fold(stream, tenantA, (s: string[], e: string) => [...s, e], [], (e) => e.type);
    expect(folded).toEqual({ state: ['A', 'B'], version: 2 });
    expect(await store.fold(uniqueName('empty'), tenantA, (s: number) => s + 1, 0, () => 1)).toEqual({ state: 0, version: 0 });
  });

  it('lists unpublished events in append order until the relay records them, and skips a lost race', async () => {
    const own = new EventStore(connection, { collection: uniqueName('outbox') });
    const s1 = uniqueName('s');
    const s2 = uniqueName('s');
    await own.append(s1, 0, [event('A1')]);
    await own.append(s2, 0, [event('B1'), event('B2')]);
    await expect(own.append(s2, 0, [event('Lost')])).rejects.toBeInstanceOf(ConcurrencyError);
    await own.append(s1, 1, [event('A2')]);
    const pending = await own.unpublished(10);
    expect(pending.map((e) => e.type)).toEqual(['A1', 'B1', 'B2', 'A2']);
    expect(pending.map((e) => e.seq)).toEqual([...pending.map((e) => e.seq)].sort((a, b) => a - b));
    const view = await own.outboxView(100);
    expect(view.claims.map((c) => [c.events.map((e) => e.type), c.ok])).toEqual([[['A1'], true], [['B1', 'B2'], true], [['Lost'], false], [['A2'], true]]);
    await own.advanceOutbox(view.claims[2]!.end, view.claims.slice(0, 3).map((c) => c.seq));
    expect((await own.unpublished(10)).map((e) => e.type)).toEqual(['A2']);
    expect((await own.outboxView(100)).position).toBe(view.claims[2]!.end);
    expect((await own.unpublished(1)).length).toBe(1);
  });

  it('gives concurrent appenders (two stores, as two replicas) distinct, contiguous store order', async () => {
    const name = uniqueName('outbox');
    const [a, b] = [new EventStore(connection, { collection: name }), new EventStore(connection, { collection: name })];
    await Promise.all(
      Array.from({ length: 12 }, (_, i) => (i % 2 ? a : b).append(uniqueName('c'), 0, [event(`E${i}`), event(`F${i}`)])),
    );
    const claims = (await a.outboxView(100)).claims;
    expect(claims.every((c) => c.ok === true)).toBe(true);
    const numbers = claims.flatMap((c) => c.events.map((e) => e.seq));
    expect(numbers).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
    const stored = await connection.collection(name).find({}).toArray();
    expect(new Set(stored.map((d) => d.seq)).size).toBe(24);
  });
});
