// Does a person's key get served, created, refused once shredded, and does a purge report what it deleted?
import { decideKeyRequest, isRequestId, isSubjectId, purgeOutcome, subjectKeyExport, type SubjectKeyState } from './subject-key';

const createdAt = new Date('2025-03-01T10:00:00Z');
const shreddedAt = new Date('2025-04-01T10:00:00Z');
const live: SubjectKeyState = { status: 'live', keyId: 'key-1', createdAt };
const shredded: SubjectKeyState = { status: 'shredded', keyId: 'key-1', createdAt, shreddedAt, requestId: 'req-1' };
const tombstoneOnly: SubjectKeyState = { status: 'shredded', keyId: null, createdAt: null, shreddedAt, requestId: 'req-1' };

describe('decideKeyRequest', () => {
  it.each<[string, SubjectKeyState, boolean, string]>([
    ['live, no create', live, false, 'serve'],
    ['live, create', live, true, 'serve'],
    ['absent, create', { status: 'absent' }, true, 'create'],
    ['absent, no create', { status: 'absent' }, false, 'not-found'],
    ['shredded, create', shredded, true, 'refuse-shredded'],
    ['shredded, no create', shredded, false, 'refuse-shredded'],
    ['tombstone of a person without key, create', tombstoneOnly, true, 'refuse-shredded'],
  ])('%s -> %s', (_name, state, create, expected) => {
    expect(decideKeyRequest(state, create)).toBe(expected);
  });
});

describe('purgeOutcome', () => {
  it('counts the key only for the request that shredded it', () => {
    expect(purgeOutcome(shredded, 'req-1')).toEqual({ shreddedKeyId: 'key-1', recordsDeleted: 1 });
    expect(purgeOutcome(shredded, 'req-2')).toEqual({ shreddedKeyId: 'key-1', recordsDeleted: 0 });
  });

  it('reports nothing deleted for a person who never had a key', () => {
    expect(purgeOutcome(tombstoneOnly, 'req-1')).toEqual({ shreddedKeyId: null, recordsDeleted: 0 });
  });

  it('refuses a key that is not shredded', () => {
    expect(() => purgeOutcome(live, 'req-1')).toThrow(/shredded/);
  });
});

describe('subjectKeyExport', () => {
  it('gives metadata only', () => {
    expect(subjectKeyExport({ status: 'absent' })).toBeNull();
    expect(subjectKeyExport(live)).toEqual({ keyId: 'key-1', createdAt: createdAt.toISOString(), shreddedAt: null });
    expect(subjectKeyExport(shredded)).toEqual({ keyId: 'key-1', createdAt: createdAt.toISOString(), shreddedAt: shreddedAt.toISOString() });
  });
});

describe('ids', () => {
  it.each(['0193c2a1-7777-744e-b5c2-2e2c8fbde7b0', 'person_1', 'A'])('accepts %p', (id) => {
    expect(isSubjectId(id)).toBe(true);
    expect(isRequestId(id)).toBe(true);
  });
  it.each(['', 'a.b', '$x', 'a|b', 'a b', 'x:y', '-lead', 'x'.repeat(129), 42, null])('refuses %p', (id) => {
    expect(isSubjectId(id)).toBe(false);
  });
});
