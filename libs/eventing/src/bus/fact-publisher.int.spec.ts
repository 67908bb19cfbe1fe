// Against the real broker: is every fact whose publish() resolved already on the topic (below the
// partition ends read right after), keyed by tenant and decodable, and does a publish to an
// unreachable broker fail within seconds instead of hanging?
import { Kafka, logLevel } from 'kafkajs';
import { eventsV1 } from '@enclave/proto';
import { loadInfraEnv, readTopicRange, topicEnds, uniqueName } from '@enclave/testing';
import { tenantId } from '../tenancy/tenant-id';
import { decodeEnvelope } from './envelope';
import { factEnvelope } from './fact-envelope';
import { FactPublisher } from './fact-publisher';
import { defineTopic } from './topic';

jest.setTimeout(60_000);

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
const topic = defineTopic(uniqueName('t-facts'), eventsV1.Actor);
const actor = { kind: eventsV1.ActorKind.ACTOR_KIND_SERVICE, id: 'test', role: '' };
const env = loadInfraEnv();
const kafka = new Kafka({ clientId: uniqueName('facts'), brokers: env.kafkaBrokers, logLevel: logLevel.NOTHING });

function fact(tenant: string, n: number) {
  const payload = topic.codec.encode({ kind: eventsV1.ActorKind.ACTOR_KIND_PERSON, id: `person-${n}`, role: '' }).finish();
  return factEnvelope({ type: 'test.FactRecorded', tenantId: tenantId(tenant), actor, payload }, { streamId: `fact-${n}` });
}

beforeAll(async () => {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic: topic.name, numPartitions: 3 }] });
  await admin.disconnect();
});

describe('FactPublisher on the real broker', () => {
  it('has every acknowledged fact on the topic the moment publish() resolves', async () => {
    const publisher = new FactPublisher({ kafka, lingerMs: 5, maxBatch: 50, logger: quiet });
    await publisher.start();
    const before = await topicEnds(kafka, topic.name);
    const facts = Array.from({ length: 300 }, (_, n) => fact(`tenant-${n % 7}`, n));
    await Promise.all(facts.map((envelope) => publisher.publish(topic.name, envelope)));
    const after = await topicEnds(kafka, topic.name);
    await publisher.stop();

    const messages = await readTopicRange(kafka, topic.name, before, after);
    const decoded = messages.map((m) => ({ key: m.key?.toString(), ...decodeEnvelope(topic, m.value) }));
    expect(decoded.map((d) => d.envelope.id).sort()).toEqual(facts.map((f) => f.id).sort());
    for (const d of decoded) {
      expect(d.key).toBe(d.envelope.tenantId);
      expect(d.envelope).toMatchObject({ type: 'test.FactRecorded', streamVersion: 1 });
    }
    expect(decoded.find((d) => d.envelope.streamId === 'fact-42')?.payload.id).toBe('person-42');
  });

  it('rejects the callers when the broker cannot be reached, within seconds', async () => {
    const nowhere = new Kafka({ clientId: uniqueName('facts-down'), brokers: ['127.0.0.1:1'], logLevel: logLevel.NOTHING, retry: { retries: 1, initialRetryTime: 50 } });
    const publisher = new FactPublisher({ kafka: nowhere, lingerMs: 1, retryAfterSec: 3, logger: quiet });
    await expect(publisher.publish(topic.name, fact('tenant-x', 1))).rejects.toThrow();
    expect(publisher.refusal()?.retryAfterSec).toBe(3);
    expect(publisher.pending).toBe(0);
    await publisher.stop();
  });
});
