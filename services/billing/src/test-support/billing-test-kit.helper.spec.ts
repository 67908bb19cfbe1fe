// Shared set-up for billing's int and HTTP tests (no tests here): real FerretDB, Kafka and Redis,
// unique database / topic / group names per run, and envelopes built as producers build them.
import mongoose, { type Connection } from 'mongoose';
import Redis from 'ioredis';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { eventsV1, type chatGatewayV1, type tenantV1 } from '@enclave/proto';
import { buildEnvelope, tenantId as toTenantId, toKafkaMessage, type EventEnvelope, type Topic } from '@enclave/eventing';
import { createLogger, uuidv7 } from '@enclave/platform';
import { loadInfraEnv, uniqueName } from '@enclave/testing';

export const quietLogger = () => createLogger({ service: 'billing-test', level: process.env.TEST_LOG_LEVEL === 'debug' ? 'debug' : 'silent' });

export async function connectTestDb(prefix: string): Promise<Connection> {
  const env = loadInfraEnv();
  return mongoose.createConnection(env.mongoUrl, { dbName: uniqueName(prefix).replace(/-/g, '_').slice(0, 63) }).asPromise();
}

export function testRedis(): Redis {
  return new Redis(loadInfraEnv().redisUrl, { maxRetriesPerRequest: 2 });
}

export function testKafka(): Kafka {
  return new Kafka({ clientId: uniqueName('billing-test'), brokers: loadInfraEnv().kafkaBrokers, logLevel: logLevel.NOTHING });
}

export const newTenantId = () => toTenantId(uniqueName('tenant'));

const GATEWAY: eventsV1.Actor = { kind: eventsV1.ActorKind.ACTOR_KIND_SERVICE, id: 'chat-gateway', role: '' };

export interface UsageInput {
  memberSubjectId: string;
  model: string;
  promptTokens: number;
  completionTokens: number;
  occurredAt: Date;
}

export function usageEnvelope(topic: Topic<chatGatewayV1.ChatGatewayEvent>, tenant: string, usage: UsageInput): EventEnvelope {
  return buildEnvelope(
    topic,
    {
      event: {
        $case: 'usageRecorded',
        value: {
          requestId: uuidv7(),
          conversationId: uuidv7(),
          memberSubjectId: usage.memberSubjectId,
          model: usage.model,
          promptTokens: usage.promptTokens,
          completionTokens: usage.completionTokens,
          outcome: 'ok',
          estimated: false,
        },
      },
    },
    { type: 'chat-gateway.UsageRecorded', tenantId: toTenantId(tenant), subjectId: usage.memberSubjectId, actor: GATEWAY },
    { occurredAtMs: usage.occurredAt.getTime() },
  );
}

export function instanceCreatedEnvelope(topic: Topic<tenantV1.TenantEvent>, tenant: string, ownerSubjectId: string): EventEnvelope {
  return buildEnvelope(
    topic,
    { event: { $case: 'instanceCreated', value: { instanceName: 'Acme', ownerSubjectId } } },
    {
      type: 'tenant.InstanceCreated',
      tenantId: toTenantId(tenant),
      subjectId: ownerSubjectId,
      actor: { kind: eventsV1.ActorKind.ACTOR_KIND_PERSON, id: ownerSubjectId, role: 'owner' },
      streamId: `tenant-${tenant}`,
      streamVersion: 1,
    },
  );
}

export async function publish(producer: Producer, topic: string, ...envelopes: EventEnvelope[]): Promise<void> {
  await producer.send({ topic, acks: -1, messages: envelopes.map(toKafkaMessage) });
}
