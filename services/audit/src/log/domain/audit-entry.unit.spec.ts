// Does an entry's hash commit to its predecessor and to every one of its fields?
import { createHash } from 'node:crypto';
import { appendEntry, EMPTY_CHAIN, entryBody, entryHash, GENESIS_HASH, type EntryDraft } from './audit-entry';

const draft = (eventId: string): EntryDraft => ({
  tenantId: 't-1',
  eventId,
  service: 'tenant',
  type: 'tenant.MemberAdded',
  actor: { kind: 'person', id: 'subj-a', role: 'admin' },
  subjectId: 'subj-b',
  occurredAt: new Date('2025-03-01T10:00:00.000Z'),
  recordedAt: new Date('2025-03-01T10:00:01.000Z'),
  payload: '{"memberAdded":{"role":"member","subjectId":"subj-b"}}',
});

describe('audit entry hashing', () => {
  it('starts a chain at seq 1 on the genesis hash of 64 zeros', () => {
    const first = appendEntry(EMPTY_CHAIN, draft('e1'));
    expect(GENESIS_HASH).toBe('0'.repeat(64));
    expect(first.seq).toBe(1);
    expect(first.prevHash).toBe(GENESIS_HASH);
  });

  it('is SHA-256 of prevHash followed by the canonical entry without its hash', () => {
    const first = appendEntry(EMPTY_CHAIN, draft('e1'));
    const expected = createHash('sha256').update(GENESIS_HASH + entryBody(first)).digest('hex');
    expect(first.hash).toBe(expected);
    expect(entryBody(first)).toBe(
      '{"actor":{"id":"subj-a","kind":"person","role":"admin"},"eventId":"e1",' +
        '"occurredAt":"2025-03-01T10:00:00.000Z","payload":"{\\"memberAdded\\":{\\"role\\":\\"member\\",\\"subjectId\\":\\"subj-b\\"}}",' +
        `"prevHash":"${GENESIS_HASH}","recordedAt":"2025-03-01T10:00:01.000Z","seq":1,"service":"tenant",` +
        '"subjectId":"subj-b","tenantId":"t-1","type":"tenant.MemberAdded"}',
    );
  });

  it('links each entry to the hash of the one before', () => {
    const first = appendEntry(EMPTY_CHAIN, draft('e1'));
    const second = appendEntry(first, draft('e2'));
    expect(second.seq).toBe(2);
    expect(second.prevHash).toBe(first.hash);
    expect(second.hash).not.toBe(first.hash);
  });

  it.each([
    ['payload', { payload: '{"memberAdded":{"role":"owner","subjectId":"subj-b"}}' }],
    ['actor', { actor: { kind: 'person' as const, id: 'subj-x', role: 'admin' } }],
    ['occurredAt', { occurredAt: new Date('2025-03-01T10:00:00.001Z') }],
    ['seq', { seq: 2 }],
    ['prevHash', { prevHash: 'f'.repeat(64) }],
    ['tenantId', { tenantId: 't-2' }],
  ])('changes when %s changes', (_field, change) => {
    const entry = appendEntry(EMPTY_CHAIN, draft('e1'));
    expect(entryHash({ ...entry, ...change })).not.toBe(entry.hash);
  });
});
