// Does a Kafka batch become one ordered append, with poison parked, failures retried, a message that keeps failing parked alone, nothing committed when interrupted, and the logged drafts (only those) handed on to the privacy hook?
import { TOPICS, type tenantV1 } from '@enclave/proto';
import { buildEnvelope, defineTopic, encodeEnvelope, tenantId, type Topic } from '@enclave/eventing';
import type { KafkaMessage } from 'kafkajs';
import type { EntryDraft } from '../domain/audit-entry';
import { ingestBatch, type IngestDeps } from './ingest-batch';

const topic = defineTopic(TOPICS.tenant.name, TOPICS.tenant.codec) as Topic<tenantV1.TenantEvent>;
const audited = { topic: topic as Topic<unknown>, service: 'tenant' };

const message = (offset: number, value: Buffer | null): KafkaMessage => ({ key: null, value, offset: String(offset), timestamp: '0', attributes: 0, headers: {} });

const memberAdded = (offset: number, subjectId: string) =>
  message(
    offset,
    encodeEnvelope(
      buildEnvelope(topic, { event: { $case: 'memberAdded', value: { subjectId, role: 'member' } } }, { type: 'tenant.MemberAdded', tenantId: tenantId('t-1'), subjectId, actor: { kind: 1, id: 'sub-admin', role: 'admin' } }, { id: `ev-${offset}`, occurredAtMs: 1_740_000_000_000 }),
    ),
  );

function deps(overrides: Partial<IngestDeps> & { failures?: (drafts: readonly EntryDraft[]) => boolean } = {}) {
  const appended: EntryDraft[][] = [];
  const parked: Array<{ offset: string; reason: string }> = [];
  let heartbeats = 0;
  const d: IngestDeps = {
    append: {
      executeBatch: async (drafts) => {
        if (overrides.failures?.(drafts)) throw new Error('database unavailable');
        appended.push([...drafts]);
        return { appended: drafts.length, duplicates: 0 };
      },
    },
    clock: () => new Date('2025-03-01T00:00:00Z'),
    deadLetter: async (m, reason) => {
      parked.push({ offset: m.offset, reason });
    },
    maxAttempts: 3,
    backoff: { initialMs: 1, maxMs: 1, factor: 1, jitter: 0 },
    sleep: async () => undefined,
    interrupted: () => false,
    heartbeat: async () => {
      heartbeats += 1;
    },
    onRetry: () => undefined,
    ...overrides,
  };
  return { d, appended, parked, heartbeats: () => heartbeats };
}

describe('ingestBatch', () => {
  it('appends every message of the batch with one call, in offset order', async () => {
    const { d, appended, parked } = deps();
    await expect(ingestBatch(d, audited, [memberAdded(10, 'sub-a'), memberAdded(11, 'sub-b'), memberAdded(12, 'sub-c')])).resolves.toBe('done');
    expect(appended).toHaveLength(1);
    expect(appended[0]!.map((x) => [x.eventId, x.subjectId, x.type, x.service])).toEqual([
      ['ev-10', 'sub-a', 'tenant.MemberAdded', 'tenant'],
      ['ev-11', 'sub-b', 'tenant.MemberAdded', 'tenant'],
      ['ev-12', 'sub-c', 'tenant.MemberAdded', 'tenant'],
    ]);
    expect(appended[0]![0]!.payload).toBe('{"memberAdded":{"role":"member","subjectId":"sub-a"}}');
    expect(parked).toEqual([]);
  });

  it('parks messages that are not envelopes and appends the rest', async () => {
    const { d, appended, parked } = deps();
    await expect(ingestBatch(d, audited, [memberAdded(1, 'sub-a'), message(2, Buffer.from('garbage')), message(3, null), memberAdded(4, 'sub-d')])).resolves.toBe('done');
    expect(appended[0]!.map((x) => x.eventId)).toEqual(['ev-1', 'ev-4']);
    expect(parked.map((p) => p.offset)).toEqual(['2', '3']);
    expect(parked[1]!.reason).toBe('empty message value');
  });

  it('retries a failing batch with heartbeats until it goes in', async () => {
    let failures = 2;
    const { d, appended, parked, heartbeats } = deps({ failures: () => failures-- > 0 });
    await expect(ingestBatch(d, audited, [memberAdded(1, 'sub-a'), memberAdded(2, 'sub-b')])).resolves.toBe('done');
    expect(appended).toHaveLength(1);
    expect(heartbeats()).toBe(2);
    expect(parked).toEqual([]);
  });

  it('when the batch keeps failing, appends message by message and parks only the one that fails alone', async () => {
    const { d, appended, parked } = deps({ failures: (drafts) => drafts.some((x) => x.subjectId === 'sub-bad') });
    await expect(ingestBatch(d, audited, [memberAdded(1, 'sub-a'), memberAdded(2, 'sub-bad'), memberAdded(3, 'sub-c')])).resolves.toBe('done');
    expect(appended.map((batch) => batch.map((x) => x.eventId))).toEqual([['ev-1'], ['ev-3']]);
    expect(parked).toEqual([{ offset: '2', reason: 'the audit log refused the event after retries' }]);
  });

  it('gives up without parking anything when interrupted', async () => {
    let stopping = false;
    const { d, appended, parked } = deps({
      failures: () => {
        stopping = true;
        return true;
      },
      interrupted: () => stopping,
    });
    await expect(ingestBatch(d, audited, [memberAdded(1, 'sub-a')])).resolves.toBe('interrupted');
    expect(appended).toEqual([]);
    expect(parked).toEqual([]);
  });

  it('hands the logged drafts to onLogged: the whole batch, or one by one when falling back, never a parked one nor when interrupted', async () => {
    const logged: string[][] = [];
    const onLogged = (drafts: readonly EntryDraft[]) => logged.push(drafts.map((x) => x.eventId));
    await ingestBatch(deps({ onLogged }).d, audited, [memberAdded(1, 'sub-a'), message(2, null), memberAdded(3, 'sub-c')]);
    expect(logged).toEqual([['ev-1', 'ev-3']]);

    logged.length = 0;
    const failing = deps({ onLogged, failures: (drafts) => drafts.some((x) => x.subjectId === 'sub-bad') });
    await ingestBatch(failing.d, audited, [memberAdded(1, 'sub-a'), memberAdded(2, 'sub-bad'), memberAdded(3, 'sub-c')]);
    expect(logged).toEqual([['ev-1'], ['ev-3']]);
    expect(failing.parked.map((p) => p.offset)).toEqual(['2']);

    logged.length = 0;
    await ingestBatch(deps({ onLogged, interrupted: () => true }).d, audited, [memberAdded(1, 'sub-a')]);
    expect(logged).toEqual([]);
  });
});
