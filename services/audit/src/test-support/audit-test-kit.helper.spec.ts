// Shared set-up for audit's int and HTTP tests (no tests here): real FerretDB and Kafka, unique
// names per run, and envelopes built the way every producer builds them.
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import mongoose, { type Connection } from 'mongoose';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { eventsV1, type billingV1, type chatGatewayV1, type tenantV1 } from '@enclave/proto';
import { buildEnvelope, tenantId as toTenantId, toKafkaMessage, type EventEnvelope, type Topic } from '@enclave/eventing';
import { createLogger, uuidv7 } from '@enclave/platform';
import { loadInfraEnv, uniqueName } from '@enclave/testing';

export const quietLogger = () =>
  createLogger({ service: 'audit-test', level: process.env.TEST_LOG_LEVEL === 'debug' ? 'debug' : 'silent' });

export async function connectTestDb(prefix: string): Promise<Connection> {
  const env = loadInfraEnv();
  return mongoose.createConnection(env.mongoUrl, { dbName: uniqueName(prefix).replace(/-/g, '_').slice(0, 63) }).asPromise();
}

export function testKafka(): Kafka {
  return new Kafka({ clientId: uniqueName('audit-test'), brokers: loadInfraEnv().kafkaBrokers, logLevel: logLevel.NOTHING });
}

export const newTenantId = () => toTenantId(uniqueName('tenant'));

/** A fresh Ed25519 checkpoint signing key. */
export const testSigningKey = (): KeyObject => generateKeyPairSync('ed25519').privateKey;

const person = (id: string, role: string): eventsV1.Actor => ({ kind: eventsV1.ActorKind.ACTOR_KIND_PERSON, id, role });
const service = (id: string): eventsV1.Actor => ({ kind: eventsV1.ActorKind.ACTOR_KIND_SERVICE, id, role: '' });

export function memberAdded(topic: Topic<tenantV1.TenantEvent>, tenant: string, adminId: string, subjectId: string): EventEnvelope {
  return buildEnvelope(
    topic,
    { event: { $case: 'memberAdded', value: { subjectId, role: 'member' } } },
    { type: 'tenant.MemberAdded', tenantId: toTenantId(tenant), subjectId, actor: person(adminId, 'admin') },
  );
}

export function usageRecorded(topic: Topic<chatGatewayV1.ChatGatewayEvent>, tenant: string, memberId: string, tokens: number): EventEnvelope {
  return buildEnvelope(
    topic,
    {
      event: {
        $case: 'usageRecorded',
        value: {
          requestId: uuidv7(),
          conversationId: uuidv7(),
          memberSubjectId: memberId,
          model: 'gpt-4o',
          promptTokens: tokens,
          completionTokens: tokens,
          outcome: 'ok',
          estimated: false,
        },
      },
    },
    { type: 'chat-gateway.UsageRecorded', tenantId: toTenantId(tenant), subjectId: memberId, actor: service('chat-gateway') },
  );
}

export function quotaSet(topic: Topic<billingV1.BillingEvent>, tenant: string, quota: number): EventEnvelope {
  return buildEnvelope(
    topic,
    { event: { $case: 'quotaSet', value: { monthlyTokenQuota: quota, unlimited: false } } },
    { type: 'billing.QuotaSet', tenantId: toTenantId(tenant), actor: service('billing') },
  );
}

export async function publish(producer: Producer, topic: string, ...envelopes: EventEnvelope[]): Promise<void> {
  await producer.send({ topic, acks: -1, messages: envelopes.map(toKafkaMessage) });
}
