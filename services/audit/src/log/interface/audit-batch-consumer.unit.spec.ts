// After logging a batch, does the consumer move both its fetch position (resolveOffset, else kafkajs fetches the batch again) and the group's committed offset past it — and neither when it was stopped mid-batch?
import type { Batch, Consumer, EachBatchPayload, Kafka, Producer } from 'kafkajs';
import { TOPICS } from '@enclave/proto';
import { buildEnvelope, defineTopic, encodeEnvelope, tenantId, type Topic } from '@enclave/eventing';
import { createLogger } from '@enclave/platform';
import type { AppendToLog } from '../application/append-to-log';
import { AuditBatchConsumer } from './audit-batch-consumer';

const topic = defineTopic(`${TOPICS.tenant.name}.unit`, TOPICS.tenant.codec);
const value = (i: number) =>
  encodeEnvelope(
    buildEnvelope(topic, { event: { $case: 'memberAdded', value: { subjectId: `sub-${i}`, role: 'member' } } }, { type: 'tenant.MemberAdded', tenantId: tenantId('t-1'), actor: { kind: 1, id: 'a', role: 'admin' } }),
  );

function harness(append: Pick<AppendToLog, 'executeBatch'>) {
  let eachBatch: ((p: EachBatchPayload) => Promise<void>) | undefined;
  const commits: unknown[] = [];
  const consumer = {
    connect: async () => undefined,
    subscribe: async () => undefined,
    run: async (config: { eachBatch: (p: EachBatchPayload) => Promise<void> }) => {
      eachBatch = config.eachBatch;
    },
    commitOffsets: async (offsets: unknown) => {
      commits.push(offsets);
    },
    disconnect: async () => undefined,
  } as unknown as Consumer;
  const producer = { connect: async () => undefined, disconnect: async () => undefined, send: async () => undefined } as unknown as Producer;
  const admin = {
    connect: async () => undefined,
    disconnect: async () => undefined,
    listTopics: async () => [topic.name, `${topic.name}.dlq`],
    createTopics: async () => true,
    fetchTopicMetadata: async ({ topics }: { topics: string[] }) => ({
      topics: topics.map((name) => ({ name, partitions: [{ partitionId: 0, leader: 1, partitionErrorCode: 0 }] })),
    }),
  };
  const kafka = { consumer: () => consumer, producer: () => producer, admin: () => admin } as unknown as Kafka;
  const subject = new AuditBatchConsumer({
    kafka,
    groupId: 'audit',
    topics: [{ topic: topic as Topic<unknown>, service: 'tenant' }],
    append: append as AppendToLog,
    clock: () => new Date(0),
    logger: createLogger({ service: 'audit-test', level: 'silent' }),
  });
  const resolved: string[] = [];
  const payload = (): EachBatchPayload =>
    ({
      batch: {
        topic: topic.name,
        partition: 2,
        messages: [40, 41, 42].map((o) => ({ key: null, value: value(o), offset: String(o), timestamp: '0', attributes: 0, headers: {} })),
        lastOffset: () => '42',
      } as unknown as Batch,
      resolveOffset: (offset: string) => resolved.push(offset),
      heartbeat: async () => undefined,
      isRunning: () => true,
      isStale: () => false,
    }) as unknown as EachBatchPayload;
  return { subject, commits, resolved, run: () => eachBatch!(payload()) };
}

describe('AuditBatchConsumer', () => {
  it('resolves and commits past the batch once it is logged', async () => {
    const logged: number[] = [];
    const h = harness({ executeBatch: async (drafts) => (logged.push(drafts.length), { appended: drafts.length, duplicates: 0 }) });
    await h.subject.start();
    await h.run();
    expect(logged).toEqual([3]);
    expect(h.resolved).toEqual(['42']);
    expect(h.commits).toEqual([[{ topic: topic.name, partition: 2, offset: '43' }]]);
  });

  it('neither resolves nor commits when stopped while the batch was failing', async () => {
    let subject: AuditBatchConsumer | undefined;
    const h = harness({
      executeBatch: async () => {
        await subject!.stop();
        throw new Error('database unavailable');
      },
    });
    subject = h.subject;
    await h.subject.start();
    await h.run();
    expect(h.resolved).toEqual([]);
    expect(h.commits).toEqual([]);
  });
});
