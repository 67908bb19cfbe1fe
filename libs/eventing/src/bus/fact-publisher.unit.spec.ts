// Does the fact publisher send envelopes as idempotent acks=all batches grouped by topic, and after
// a failed batch tell its callers and start over with a fresh producer?
import type { Kafka, ProducerBatch, ProducerConfig } from 'kafkajs';
import { eventsV1 } from '@enclave/proto';
import { tenantId } from '../tenancy/tenant-id';
import { decodeEnvelope } from './envelope';
import { factEnvelope } from './fact-envelope';
import { FactPublisher } from './fact-publisher';
import { defineTopic } from './topic';

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
const topic = defineTopic('enclave.test.facts.v1', eventsV1.Actor);
const actor = { kind: eventsV1.ActorKind.ACTOR_KIND_SERVICE, id: 'svc', role: '' };

function envelope(tenant: string, n: number) {
  const payload = topic.codec.encode({ kind: eventsV1.ActorKind.ACTOR_KIND_PERSON, id: `p${n}`, role: '' }).finish();
  return factEnvelope({ type: 'test.Fact', tenantId: tenantId(tenant), actor, payload }, { streamId: `fact-${n}` });
}

function fakeKafka(failures: number) {
  const configs: ProducerConfig[] = [];
  const batches: ProducerBatch[] = [];
  let left = failures;
  let disconnects = 0;
  const kafka = {
    producer: (config: ProducerConfig) => {
      configs.push(config);
      return {
        connect: async () => undefined,
        disconnect: async () => void (disconnects += 1),
        sendBatch: async (batch: ProducerBatch) => {
          if (left > 0) {
            left -= 1;
            throw new Error('not enough in-sync replicas');
          }
          batches.push(batch);
          return [];
        },
      };
    },
  } as unknown as Kafka;
  return { kafka, configs, batches, disconnects: () => disconnects };
}

describe('FactPublisher', () => {
  it('sends idempotent acks=all batches, keyed by tenant, grouped by topic', async () => {
    const fake = fakeKafka(0);
    const publisher = new FactPublisher({ kafka: fake.kafka, lingerMs: 1, logger: quiet });
    await Promise.all([
      publisher.publish(topic.name, envelope('t-a', 1)),
      publisher.publish('enclave.other.v1', envelope('t-b', 2)),
      publisher.publish(topic.name, envelope('t-a', 3)),
    ]);
    expect(fake.configs).toEqual([expect.objectContaining({ idempotent: true, maxInFlightRequests: 1 })]);
    expect(fake.batches).toHaveLength(1);
    const [batch] = fake.batches;
    expect(batch!.acks).toBe(-1);
    expect(batch!.topicMessages!.map((t) => [t.topic, t.messages.length])).toEqual([[topic.name, 2], ['enclave.other.v1', 1]]);
    const first = batch!.topicMessages![0]!.messages[0]!;
    expect(first.key).toBe('t-a');
    expect(decodeEnvelope(topic, first.value as Buffer).envelope).toMatchObject({ type: 'test.Fact', streamId: 'fact-1', streamVersion: 1 });
    await publisher.stop();
  });

  it('rejects the callers of a failed batch, then publishes with a fresh producer', async () => {
    const fake = fakeKafka(1);
    const publisher = new FactPublisher({ kafka: fake.kafka, lingerMs: 1, logger: quiet });
    await expect(publisher.publish(topic.name, envelope('t-a', 1))).rejects.toThrow('not enough in-sync replicas');
    expect(publisher.refusal()).toBeDefined();
    await publisher.publish(topic.name, envelope('t-a', 2));
    expect(fake.configs).toHaveLength(2);
    expect(fake.disconnects()).toBe(1);
    expect(fake.batches).toHaveLength(1);
    await publisher.stop();
  });
});
