// Does an entry's hash commit to its predecessor and to every one of its fields?
import { createHash } from 'node:crypto';
import { appendEntry, EMPTY_CHAIN, entryBody, entryHash, GENESIS_HASH, type EntryDraft } from './audit-entry';
import { canonicalJson, CanonicalJsonError } from './canonical-json';

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

describe('entryBody is canonical JSON, byte for byte', () => {
  const awkward = ['', 'plain', 'quote " and \\ backslash', 'line\nbreak\ttab\u0001\u001f', 'ü é 日本 🎉', '\u2028\u2029', '{"json":"inside"}', 'a'.repeat(300)];
  const pick = (i: number) => awkward[i % awkward.length]!;

  it('for entries full of awkward strings', () => {
    for (let i = 0; i < 200; i++) {
      const entry = {
        tenantId: pick(i),
        seq: [1, 2, 9007199254740991, 0, 123456][i % 5]!,
        eventId: pick(i + 1),
        service: pick(i + 2),
        type: pick(i + 3),
        actor: { kind: (['person', 'service', 'system', 'unspecified'] as const)[i % 4]!, id: pick(i + 4), role: pick(i + 5) },
        subjectId: pick(i + 6),
        occurredAt: new Date(1_700_000_000_000 + i * 7919),
        recordedAt: new Date(-1_000_000 * i),
        payload: pick(i + 7),
        prevHash: pick(i),
      };
      expect(entryBody(entry)).toBe(
        canonicalJson({
          tenantId: entry.tenantId,
          seq: entry.seq,
          eventId: entry.eventId,
          service: entry.service,
          type: entry.type,
          actor: { kind: entry.actor.kind, id: entry.actor.id, role: entry.actor.role },
          subjectId: entry.subjectId,
          occurredAt: entry.occurredAt.toISOString(),
          recordedAt: entry.recordedAt.toISOString(),
          payload: entry.payload,
          prevHash: entry.prevHash,
        }),
      );
    }
  });

  it('falls back to the general path for a damaged record, which still hashes differently or refuses', () => {
    const entry = appendEntry(EMPTY_CHAIN, draft('e1'));
    const numericActor = { ...entry, actor: { ...entry.actor, id: 42 as unknown as string } };
    expect(entryBody(numericActor)).toContain('"id":42');
    expect(entryHash(numericActor)).not.toBe(entry.hash);
    expect(() => entryBody({ ...entry, seq: Number.NaN })).toThrow(CanonicalJsonError);
  });
});
