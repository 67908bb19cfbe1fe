// The whole audit service in process for the privacy tests (no tests here): real FerretDB and
// Kafka on topics of its own, the HTTP app with test sessions, the privacy clock movable, and
// five small gRPC servers implementing the real SubjectDataService (auth, tenant, key-vault,
// chat-gateway, billing) that only audit's identity may call; tenant's also answers
// MemberDirectoryService from the roles a test gives people (stack.person / stack.members).
import { randomBytes } from 'node:crypto';
import type { Connection } from 'mongoose';
import type { Kafka, Producer } from 'kafkajs';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { buildEnvelope, defineTopic, tenantId as toTenantId, type EventEnvelope, type Topic } from '@enclave/eventing';
import { createGrpcClient, createHttpApp, GrpcServerHost, loadServiceIdentity, ServiceTrust, uuidv7, generateServiceKeypair } from '@enclave/platform';
import { GrpcMemberRoles, PersonalFields, sealField, type SubjectKey, type SubjectKeySource } from '@enclave/privacy';
import { eventsV1, privacyV1, tenantV1, TOPICS } from '@enclave/proto';
import { testSessions, type Role } from '@enclave/session';
import { uniqueName } from '@enclave/testing';
import { AppModule } from '../app.module';
import { AuditRuntime } from '../composition/audit-runtime';
import { grpcSubjectExporters } from '../privacy/infrastructure/grpc-subject-exporter';
import { PrivacyClock } from '../privacy/infrastructure/privacy-clock';
import { DATA_SERVICES } from '../privacy/domain/privacy-events';
import { connectTestDb, publish, quietLogger, testKafka, testSigningKey } from './audit-test-kit.helper.spec';

export interface Reply {
  status: number;
  body: Record<string, any>;
  raw: string;
  headers: Record<string, unknown>;
}

/** Subject keys held in memory, as key-vault would hand them out; `shred` makes a person's unreadable. */
export class InMemorySubjectKeys implements SubjectKeySource {
  private readonly keys = new Map<string, SubjectKey | 'shredded'>();

  async fetch(tenantId: string, subjectId: string, create: boolean) {
    const id = `${tenantId}/${subjectId}`;
    const found = this.keys.get(id);
    if (found || !create) return found;
    const key = { keyId: uuidv7().replace(/-/g, ''), key: randomBytes(32) };
    this.keys.set(id, key);
    return key;
  }

  seal(tenantId: string, subjectId: string, field: string, plaintext: string): string {
    const key = this.keys.get(`${tenantId}/${subjectId}`);
    if (!key || key === 'shredded') throw new Error('no key');
    return sealField(key, { tenantId, subjectId, field }, plaintext);
  }

  shred(tenantId: string, subjectId: string): void {
    this.keys.set(`${tenantId}/${subjectId}`, 'shredded');
  }
}

export async function startPrivacyStack(prefix: string) {
  const connection: Connection = await connectTestDb(prefix);
  const kafka: Kafka = testKafka();
  const suffix = `.${uniqueName('p')}`;
  const topics = {
    auth: defineTopic(TOPICS.auth.name + suffix, TOPICS.auth.codec),
    tenant: defineTopic(TOPICS.tenant.name + suffix, TOPICS.tenant.codec),
    'key-vault': defineTopic(TOPICS.keyVault.name + suffix, TOPICS.keyVault.codec),
    'chat-gateway': defineTopic(TOPICS.chatGateway.name + suffix, TOPICS.chatGateway.codec),
    billing: defineTopic(TOPICS.billing.name + suffix, TOPICS.billing.codec),
  };

  // audit's identity, and the data services that trust it.
  const auditKeys = generateServiceKeypair();
  const identity = loadServiceIdentity('audit', auditKeys.privateKey);
  const trust = new ServiceTrust({ audit: auditKeys.publicKey });
  const servers = new Map<string, GrpcServerHost>();
  const addresses: Record<string, string> = {};
  const exportCalls: Array<{ service: string; tenantId: string; subjectId: string; adminReader?: privacyV1.AdminReader }> = [];
  /** `${tenantId}/${subjectId}` → current role, as tenant's member directory answers it. */
  const members = new Map<string, Role>();
  for (const service of DATA_SERVICES) {
    const host = new GrpcServerHost({ serviceName: service, trust, logger: quietLogger() });
    host.addService(
      privacyV1.SubjectDataServiceService,
      {
        exportSubjectData: async (request) => {
          exportCalls.push({ service, ...request });
          // chat-gateway answers an admin's export as its admin-read policy does while logging is off.
          const adminRead = service === 'chat-gateway' && request.adminReader ? { adminRead: { allowed: false, refusal: 'message_logging_off', messagesReturned: 0 } } : {};
          return { service, documentJson: JSON.stringify({ subjectId: request.subjectId, records: [{ held: `${service} record` }], ...adminRead }) };
        },
      },
      { callers: ['audit'] },
    );
    if (service === 'tenant') {
      host.addService(
        tenantV1.MemberDirectoryServiceService,
        {
          getMemberRoles: async (request) => ({
            members: request.subjectIds.flatMap((subjectId) => {
              const role = members.get(`${request.tenantId}/${subjectId}`);
              return role ? [{ subjectId, role }] : [];
            }),
          }),
        },
        { callers: ['audit'] },
      );
    }
    const port = await host.start('127.0.0.1', 0);
    servers.set(service, host);
    addresses[service] = `127.0.0.1:${port}`;
  }
  const exporters = grpcSubjectExporters(identity, addresses, 1_000);
  const memberRoles = new GrpcMemberRoles(
    createGrpcClient(tenantV1.MemberDirectoryServiceClient, addresses.tenant!, { identity, audience: 'tenant', defaultDeadlineMs: 1_000 }),
    1_000,
  );

  const keys = new InMemorySubjectKeys();
  const clock = new PrivacyClock();
  const runtime = new AuditRuntime({
    connection,
    logger: quietLogger(),
    checkpoints: { signingKey: testSigningKey() },
    kafka: { client: kafka, groupId: uniqueName('audit-privacy'), topicSuffix: suffix },
    privacy: {
      clock,
      jobsIntervalMs: 200,
      testClockEnabled: true,
      exporters,
      memberRoles,
      personalFields: new PersonalFields(keys, { ttlMs: 0 }),
      close: () => {
        exporters.forEach((e) => e.close());
        memberRoles.close();
      },
    },
  });
  const sessions = testSessions();
  const app: NestFastifyApplication = await createHttpApp(AppModule.forRoot({ runtime, session: { verifier: sessions.verifier } }), {
    logger: quietLogger(),
    handleSignals: false,
  });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  const producer: Producer = kafka.producer({ allowAutoTopicCreation: true });
  await producer.connect();

  async function call(method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, token?: string, body?: unknown): Promise<Reply> {
    const res = await app.getHttpAdapter().getInstance().inject({
      method,
      url,
      headers: { ...(token && { authorization: `Bearer ${token}` }), ...(body !== undefined && { 'content-type': 'application/json' }) },
      ...(body !== undefined && { payload: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    let parsed: Record<string, unknown> = {};
    try {
      parsed = res.body ? (JSON.parse(res.body) as Record<string, unknown>) : {};
    } catch {
      parsed = {};
    }
    return { status: res.statusCode, body: parsed, raw: res.body, headers: res.headers };
  }

  const tokenFor = (tenantId: string, role: Role, subjectId?: string) => sessions.mint({ tenantId, role, ...(subjectId && { subjectId }) }).token;

  /** A new member of the tenant with this role in the member directory, and a session of theirs. */
  const person = (tenantId: string, role: Role) => {
    const id = uuidv7();
    members.set(`${tenantId}/${id}`, role);
    return { id, token: tokenFor(tenantId, role, id) };
  };

  /** An event of a data service's topic, built as that service's relay would. */
  function serviceEvent<K extends keyof typeof topics>(
    service: K,
    tenant: string,
    subjectId: string,
    event: { $case: string; value: unknown },
    actor: eventsV1.Actor = { kind: eventsV1.ActorKind.ACTOR_KIND_SERVICE, id: service, role: '' },
  ): EventEnvelope {
    const name = event.$case.charAt(0).toUpperCase() + event.$case.slice(1);
    return buildEnvelope(topics[service] as Topic<unknown>, { event } as never, { type: `${service}.${name}`, tenantId: toTenantId(tenant), subjectId, actor });
  }

  const purged = (service: keyof typeof topics, tenant: string, subjectId: string, requestId: string) =>
    serviceEvent(service, tenant, subjectId, { $case: 'subjectDataPurged', value: { requestId, subjectId, recordsDeleted: 2 } });

  const send = (service: keyof typeof topics, ...envelopes: EventEnvelope[]) => publish(producer, topics[service].name, ...envelopes);

  async function close(): Promise<void> {
    await producer.disconnect().catch(() => undefined);
    await app.close();
    for (const host of servers.values()) await host.stop(100);
    await connection.dropDatabase().catch(() => undefined);
    await connection.close();
  }

  return { app, runtime, connection, kafka, clock, keys, servers, exportCalls, members, topics, call, tokenFor, person, serviceEvent, purged, send, close };
}

export type PrivacyStack = Awaited<ReturnType<typeof startPrivacyStack>>;
