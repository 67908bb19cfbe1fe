// Does GetSubjectKey create a person's key once (one event), serve it unchanged, refuse it after a purge, and does the purge confirm once per request?
import { randomBytes } from 'node:crypto';
import { tenantId } from '@enclave/eventing';
import { NotFoundError } from '@enclave/platform';
import { subjectKeyAad } from '../domain/crypto/aad';
import type { SubjectKeyState } from '../domain/subject-key/subject-key';
import type { SubjectDataPurged, SubjectKeyCreated, SubjectKeyShredded } from '../domain/subject-key/subject-key.events';
import { LocalKekProvider } from '../infrastructure/kek/local-kek-provider';
import { GetSubjectKey, SubjectKeyShreddedError } from './get-subject-key';
import type { NewSubjectKey, PrivacyJournal, StoredSubjectKey, SubjectKeyRepository } from './subject-key-ports';
import { PurgeSubject } from './purge-subject';

interface Row extends StoredSubjectKey { subjectId: string; tenantId: string }

/** The port over a Map, unique per (tenant, subject) like the Mongo repository. */
class MemoryKeys implements SubjectKeyRepository {
  readonly rows = new Map<string, Row>();
  private id = (t: string, s: string) => `${t}|${s}`;
  async lookup(t: string, s: string) {
    return this.rows.get(this.id(t, s)) ?? null;
  }
  async insert(k: NewSubjectKey) {
    if (this.rows.has(this.id(k.tenantId, k.subjectId))) return false;
    this.rows.set(this.id(k.tenantId, k.subjectId), {
      tenantId: k.tenantId, subjectId: k.subjectId, kekVersion: k.kekVersion, wrappedKey: k.wrappedKey, announced: false,
      state: { status: 'live', keyId: k.keyId, createdAt: k.createdAt },
    });
    return true;
  }
  async markAnnounced(t: string, s: string) {
    this.rows.get(this.id(t, s))!.announced = true;
  }
  async shred(t: string, s: string, requestId: string, at: Date): Promise<SubjectKeyState> {
    const row = this.rows.get(this.id(t, s));
    if (row?.state.status === 'shredded') return row.state;
    const keyId = row?.state.status === 'live' ? row.state.keyId : null;
    const createdAt = row?.state.status === 'live' ? row.state.createdAt : null;
    const state: SubjectKeyState = { status: 'shredded', keyId, createdAt, shreddedAt: at, requestId };
    this.rows.set(this.id(t, s), { tenantId: t, subjectId: s, kekVersion: null, wrappedKey: null, announced: true, state });
    return state;
  }
  async wrappedUnderOtherVersions() { return []; }
  async countWrappedUnderOtherVersions() { return 0; }
  async liveDataKeysByKekVersion() { return {}; }
  async replaceWrapping() { return false; }
}

/** Once per key / request, like the event store's version-0 streams. */
class MemoryJournal implements PrivacyJournal {
  readonly events: Array<SubjectKeyCreated | SubjectKeyShredded | SubjectDataPurged> = [];
  private readonly streams = new Set<string>();
  failNext = false;
  private once(stream: string, event: SubjectKeyCreated | SubjectKeyShredded | SubjectDataPurged) {
    if (this.failNext) {
      this.failNext = false;
      return Promise.reject(new Error('event store down'));
    }
    if (this.streams.has(stream)) return Promise.resolve(false);
    this.streams.add(stream);
    this.events.push(event);
    return Promise.resolve(true);
  }
  keyCreated(e: SubjectKeyCreated) { return this.once(`c-${e.keyId}`, e); }
  keyShredded(e: SubjectKeyShredded) { return this.once(`s-${e.keyId}`, e); }
  subjectPurged(e: SubjectDataPurged) { return this.once(`p-${e.tenantId}-${e.requestId}`, e); }
}

const tenant = tenantId('tenant-a');
const now = new Date('2025-05-01T00:00:00Z');

function setup() {
  const kek = new LocalKekProvider({ activeVersion: 1, keys: new Map([[1, randomBytes(32)]]) });
  const keys = new MemoryKeys();
  const journal = new MemoryJournal();
  let n = 0;
  const deps = { kek, keys, journal, publisher: { nudge: () => undefined }, clock: () => now, newId: () => `key-${++n}` };
  return { kek, keys, journal, get: new GetSubjectKey(deps), purge: new PurgeSubject(deps) };
}

describe('GetSubjectKey', () => {
  it('creates a 32-byte key once, stores it only wrapped and bound to tenant, person and key id, and serves the same key after', async () => {
    const { kek, keys, journal, get } = setup();
    const first = await get.execute({ tenantId: tenant, subjectId: 'p1', create: true, caller: 'auth' });
    const again = await get.execute({ tenantId: tenant, subjectId: 'p1', create: false, caller: 'chat-gateway' });
    expect(first.key).toHaveLength(32);
    expect(again).toEqual(first);
    const row = (await keys.lookup(tenant, 'p1'))!;
    expect(row.wrappedKey!.includes(first.key)).toBe(false);
    expect((await kek.unwrap(row.wrappedKey!, 1, subjectKeyAad(tenant, 'p1', first.keyId))).equals(first.key)).toBe(true);
    await expect(kek.unwrap(row.wrappedKey!, 1, subjectKeyAad(tenant, 'p2', first.keyId))).rejects.toThrow();
    expect(journal.events).toEqual([{ type: 'SubjectKeyCreated', tenantId: tenant, subjectId: 'p1', keyId: first.keyId }]);
  });

  it('answers NOT_FOUND without create and creates nothing', async () => {
    const { keys, journal, get } = setup();
    await expect(get.execute({ tenantId: tenant, subjectId: 'p1', create: false, caller: 'audit' })).rejects.toBeInstanceOf(NotFoundError);
    expect(keys.rows.size).toBe(0);
    expect(journal.events).toEqual([]);
  });

  it('repairs a creation whose event could not be appended, on the next use, and still records it once', async () => {
    const { journal, get } = setup();
    journal.failNext = true;
    await expect(get.execute({ tenantId: tenant, subjectId: 'p1', create: true, caller: 'auth' })).rejects.toThrow('event store down');
    const key = await get.execute({ tenantId: tenant, subjectId: 'p1', create: true, caller: 'auth' });
    await get.execute({ tenantId: tenant, subjectId: 'p1', create: true, caller: 'auth' });
    expect(journal.events).toEqual([{ type: 'SubjectKeyCreated', tenantId: tenant, subjectId: 'p1', keyId: key.keyId }]);
  });

  it('never serves or re-creates a key after the person was purged', async () => {
    const { get, purge } = setup();
    await get.execute({ tenantId: tenant, subjectId: 'p1', create: true, caller: 'auth' });
    await purge.execute({ tenantId: tenant, subjectId: 'p1', requestId: 'req-1' });
    await expect(get.execute({ tenantId: tenant, subjectId: 'p1', create: true, caller: 'auth' })).rejects.toBeInstanceOf(SubjectKeyShreddedError);
    await expect(get.execute({ tenantId: tenant, subjectId: 'p1', create: false, caller: 'auth' })).rejects.toThrow('subject key shredded');
  });
});

describe('PurgeSubject', () => {
  it('shreds, records SubjectKeyShredded then SubjectDataPurged, and only once per request when repeated', async () => {
    const { journal, keys, get, purge } = setup();
    const { keyId } = await get.execute({ tenantId: tenant, subjectId: 'p1', create: true, caller: 'auth' });
    expect(await purge.execute({ tenantId: tenant, subjectId: 'p1', requestId: 'req-1' })).toEqual({ shreddedKeyId: keyId, recordsDeleted: 1 });
    await purge.execute({ tenantId: tenant, subjectId: 'p1', requestId: 'req-1' });
    expect((await keys.lookup(tenant, 'p1'))!.wrappedKey).toBeNull();
    expect(journal.events.slice(1)).toEqual([
      { type: 'SubjectKeyShredded', tenantId: tenant, subjectId: 'p1', keyId, requestId: 'req-1' },
      { type: 'SubjectDataPurged', tenantId: tenant, subjectId: 'p1', requestId: 'req-1', recordsDeleted: 1 },
    ]);
  });

  it('leaves a tombstone and confirms for a person who never had a key', async () => {
    const { journal, get, purge } = setup();
    expect(await purge.execute({ tenantId: tenant, subjectId: 'p2', requestId: 'req-9' })).toEqual({ shreddedKeyId: null, recordsDeleted: 0 });
    expect(journal.events).toEqual([{ type: 'SubjectDataPurged', tenantId: tenant, subjectId: 'p2', requestId: 'req-9', recordsDeleted: 0 }]);
    await expect(get.execute({ tenantId: tenant, subjectId: 'p2', create: true, caller: 'auth' })).rejects.toBeInstanceOf(SubjectKeyShreddedError);
  });
});
