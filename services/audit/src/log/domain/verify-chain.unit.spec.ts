// Does verifyChain accept an untouched chain and name the first entry that was altered, removed or moved?
import { appendEntry, EMPTY_CHAIN, entryHash, type AuditEntry } from './audit-entry';
import { verifyChain } from './verify-chain';

function chainOf(length: number): AuditEntry[] {
  const entries: AuditEntry[] = [];
  let head = EMPTY_CHAIN;
  for (let i = 1; i <= length; i += 1) {
    const entry = appendEntry(head, {
      tenantId: 't-1',
      eventId: `e${i}`,
      service: 'chat-gateway',
      type: 'chat-gateway.UsageRecorded',
      actor: { kind: 'service', id: 'chat-gateway', role: '' },
      subjectId: 'subj-1',
      occurredAt: new Date(Date.UTC(2025, 0, 1, 0, 0, i)),
      recordedAt: new Date(Date.UTC(2025, 0, 1, 0, 1, i)),
      payload: `{"usageRecorded":{"promptTokens":${i}}}`,
    });
    entries.push(entry);
    head = entry;
  }
  return entries;
}

async function* paged(entries: AuditEntry[], pageSize: number): AsyncGenerator<AuditEntry> {
  for (let i = 0; i < entries.length; i += pageSize) {
    const page = entries.slice(i, i + pageSize);
    await Promise.resolve();
    yield* page;
  }
}

describe('verifyChain', () => {
  it('finds an untouched chain intact and counts every entry', async () => {
    await expect(verifyChain(paged(chainOf(25), 7))).resolves.toEqual({ intact: true, entriesChecked: 25 });
  });

  it('finds an empty chain intact', async () => {
    await expect(verifyChain([])).resolves.toEqual({ intact: true, entriesChecked: 0 });
  });

  it('names an entry whose payload was altered: hash_mismatch at its seq', async () => {
    const entries = chainOf(6);
    entries[3] = { ...entries[3]!, payload: '{"usageRecorded":{"promptTokens":0}}' };
    await expect(verifyChain(entries)).resolves.toEqual({
      intact: false,
      entriesChecked: 4,
      firstBroken: { seq: 4, eventId: 'e4', reason: 'hash_mismatch' },
    });
  });

  it('catches an altered entry whose hash was recomputed: the next entry no longer links', async () => {
    const entries = chainOf(6);
    const forged = { ...entries[2]!, payload: '{}' };
    entries[2] = { ...forged, hash: entryHash(forged) };
    await expect(verifyChain(entries)).resolves.toMatchObject({
      intact: false,
      firstBroken: { seq: 4, eventId: 'e4', reason: 'chain_broken' },
    });
  });

  it('names the entry after a removed one: sequence_gap', async () => {
    const entries = chainOf(6);
    entries.splice(2, 1);
    await expect(verifyChain(entries)).resolves.toEqual({
      intact: false,
      entriesChecked: 3,
      firstBroken: { seq: 4, eventId: 'e4', reason: 'sequence_gap' },
    });
  });

  it('catches reordered entries even when their seq numbers were rewritten: chain_broken', async () => {
    const entries = chainOf(6);
    const [third, fourth] = [entries[2]!, entries[3]!];
    entries[2] = { ...fourth, seq: 3 };
    entries[3] = { ...third, seq: 4 };
    await expect(verifyChain(entries)).resolves.toEqual({
      intact: false,
      entriesChecked: 3,
      firstBroken: { seq: 3, eventId: 'e4', reason: 'chain_broken' },
    });
  });

  it('catches a chain that does not start at seq 1', async () => {
    const entries = chainOf(3).slice(1);
    await expect(verifyChain(entries)).resolves.toMatchObject({
      intact: false,
      firstBroken: { seq: 2, reason: 'sequence_gap' },
    });
  });
});
