// Against real Kafka: does a replica's revocation feed apply SessionsRevoked published while it
// runs, and does a replica that starts AFTER a revocation still learn it (it reads back over the
// retention window), while other auth events and garbage change nothing?
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { buildEnvelope, defineTopic, ensureTopics, tenantId, toKafkaMessage } from '@enclave/eventing';
import { TOPICS, type authV1 } from '@enclave/proto';
import { loadInfraEnv, uniqueName, waitFor } from '@enclave/testing';
import { SessionRevocationFeed } from './revocation-feed';
import { REVOCATION_RETENTION_MS, SessionRevocations } from './session-revocations';

jest.setTimeout(90_000);

const kafka = new Kafka({ clientId: uniqueName('revocation-feed'), brokers: loadInfraEnv().kafkaBrokers, logLevel: logLevel.NOTHING });
const topic = defineTopic(uniqueName('auth-events'), TOPICS.auth.codec);
const logger = { warn: () => undefined };
const feeds: SessionRevocationFeed[] = [];
let producer: Producer;

const session = (sessionId: string, subjectId = 's1') => ({ tenantId: 't1', subjectId, sessionId, issuedAt: Date.now() - 60_000 });

async function publish(payload: authV1.AuthEvent | Buffer): Promise<void> {
  if (Buffer.isBuffer(payload)) {
    await producer.send({ topic: topic.name, acks: -1, messages: [{ key: 't1', value: payload }] });
    return;
  }
  const envelope = buildEnvelope(topic, payload, { type: 'auth.x', tenantId: tenantId('t1'), actor: { kind: 0, id: '', role: '' } });
  await producer.send({ topic: topic.name, acks: -1, messages: [toKafkaMessage(envelope)] });
}

async function startFeed(): Promise<SessionRevocations> {
  const revocations = new SessionRevocations(REVOCATION_RETENTION_MS);
  const feed = new SessionRevocationFeed({ kafka, revocations, groupPrefix: uniqueName('replica'), topic: topic.name, logger });
  feeds.push(feed);
  await feed.start();
  await waitFor(() => feed.ready, { timeoutMs: 60_000, description: 'the feed reading' });
  return revocations;
}

const revokedEvent = (sessionIds: string[], notBeforeMs = 0, subjectId = 's1'): authV1.AuthEvent => ({
  event: { $case: 'sessionsRevoked', value: { subjectId, sessionIds, notBeforeMs, reason: 'logout' } },
});

beforeAll(async () => {
  await ensureTopics(kafka, [topic.name]);
  producer = kafka.producer();
  await producer.connect();
});

afterAll(async () => {
  for (const feed of feeds) await feed.stop();
  await producer?.disconnect();
});

it('applies revocations published before the replica started and while it runs; ignores the rest', async () => {
  await publish(revokedEvent(['before-start']));
  await publish(Buffer.from('not an envelope'));
  await publish({ event: { $case: 'accountRegistered', value: { subjectId: 's9' } } });

  const revocations = await startFeed();
  await waitFor(() => revocations.isRevoked(session('before-start')), { timeoutMs: 30_000, description: 'the earlier revocation' });
  expect(revocations.size).toBe(1);

  await publish(revokedEvent([], Date.now(), 's2'));
  await waitFor(() => revocations.isRevoked(session('any', 's2')), { timeoutMs: 30_000, description: 'the not-before of s2' });
  expect(revocations.isRevoked(session('other-session'))).toBe(false);
});
