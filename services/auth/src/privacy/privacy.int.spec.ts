// Against real Kafka, FerretDB, Redis and SMTP: are account emails and names sealed at rest (legacy rows still work), can a person or their admin rectify them, does audit's purge request erase the person with one confirmation, does the export serve only audit, and does retention prune old login links per tenant?
import type { Producer } from 'kafkajs';
import { auditV1, eventsV1, privacyV1, tenantV1, TOPICS } from '@enclave/proto';
import { buildEnvelope, defineTopic, tenantId as checkedTenantId, toKafkaMessage, type EventEnvelope } from '@enclave/eventing';
import { createGrpcClient, GrpcStatus, loadServiceIdentity, type GrpcClient } from '@enclave/platform';
import { loadInfraEnv, SmtpCatcherClient, uniqueName, waitFor } from '@enclave/testing';
import Redis from 'ioredis';
import { sessionClaims } from '../sessions/domain/session-claims';
import type { Role } from '../shared/roles';
import { hashEmail } from '../shared/keyed-hash';
import { DAY_MS } from './domain/retention-policy';
import { postJson, serviceKeys, startAuth, TenantEventProducer, tenantEvents, tokenFromMail, uniqueEmail, type AuthHarness } from '../test-support/auth-test-kit.helper.spec';

jest.setTimeout(90_000);

const keys = serviceKeys();
const smtp = new SmtpCatcherClient();
const tenantId = uniqueName('tenant');
const otherTenantId = uniqueName('other');
const people = {
  owner: { email: uniqueEmail('owner'), name: 'Olive Owner' },
  admin: { email: uniqueEmail('admin'), name: 'Adam Admin' },
  member: { email: uniqueEmail('member'), name: 'Max Member' },
  leaver: { email: uniqueEmail('leaver'), name: 'Lena Leaver' },
  legacy: { email: uniqueEmail('legacy'), name: 'Leo Legacy' },
};
const ids: Record<keyof typeof people, string> = { owner: '', admin: '', member: '', leaver: '', legacy: '' };
let auth: AuthHarness;
let producer: TenantEventProducer;
let otherProducer: TenantEventProducer;
let auditProducer: Producer;
let auditVersion = 0;
let asAudit: GrpcClient<typeof privacyV1.SubjectDataServiceService>;
let asTenant: GrpcClient<typeof privacyV1.SubjectDataServiceService>;
let otherTenantMember = '';

const register = (tenant: string, who: { email: string; name: string }) =>
  auth.runtime.registerAccount.execute({ tenantId: tenant, email: who.email, displayName: who.name }, { kind: 'service', name: 'tenant' }).then((r) => r.subjectId);
const mint = (subjectId: string, role: Role, tenant = tenantId) =>
  auth.runtime.signer.sign(sessionClaims({ subjectId, tenantId: tenant, role, sessionId: uniqueName('sid'), nowMs: auth.clock.nowMs(), ttlMs: 3_600_000 }));
async function patch(path: string, body: unknown, token?: string) {
  const res = await fetch(`${auth.baseUrl}${path}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
}
const rawAccount = (subjectId: string) => auth.connection.collection('accounts').findOne({ subjectId });
const eventsOf = (filter: Record<string, unknown>) => auth.connection.collection('events').find(filter).sort({ seq: 1 }).toArray();
const grpcAs = (name: 'audit' | 'tenant') =>
  createGrpcClient(privacyV1.SubjectDataServiceClient, `127.0.0.1:${auth.runtime.grpcPort}`, {
    identity: loadServiceIdentity(name, keys[name].privateKey),
    audience: 'auth',
    defaultDeadlineMs: 5000,
    maxAttempts: 1,
  });
const exportOf = async (subjectId: string, tenant = tenantId) => {
  const response = await asAudit.call('exportSubjectData', { tenantId: tenant, subjectId });
  expect(response.service).toBe('auth');
  return JSON.parse(response.documentJson) as Record<string, any>;
};

/** Sends SubjectPurgeRequested on the audit topic as audit's relay would. */
async function requestPurge(requestId: string, subjectId: string): Promise<EventEnvelope> {
  const payload: auditV1.AuditEvent = { event: { $case: 'subjectPurgeRequested', value: { requestId, subjectId } } };
  const envelope = buildEnvelope(defineTopic(auth.topics.audit, TOPICS.audit.codec), payload, {
    type: 'audit.SubjectPurgeRequested',
    tenantId: checkedTenantId(tenantId),
    subjectId,
    actor: { kind: eventsV1.ActorKind.ACTOR_KIND_SERVICE, id: 'audit', role: '' },
    streamId: `privacy-${tenantId}`,
    streamVersion: ++auditVersion,
  });
  await sendAudit(envelope);
  return envelope;
}
const sendAudit = (envelope: EventEnvelope) => auditProducer.send({ topic: auth.topics.audit, acks: -1, messages: [toKafkaMessage(envelope)] }).then(() => undefined);
const confirmations = (requestId: string) => eventsOf({ streamId: `subject-purge-${requestId}` });

beforeAll(async () => {
  auth = await startAuth({ withKafka: true, keys });
  asAudit = grpcAs('audit');
  asTenant = grpcAs('tenant');
  ids.owner = await register(tenantId, people.owner);
  ids.admin = await register(tenantId, people.admin);
  ids.member = await register(tenantId, people.member);
  ids.leaver = await register(tenantId, people.leaver);
  // A row from before sealing: plain email and name, as the old code wrote them.
  ids.legacy = uniqueName('legacy-subject');
  await auth.connection.collection('accounts').insertOne({
    tenantId,
    subjectId: ids.legacy,
    emailHash: hashEmail(auth.settings.emailHashKey, people.legacy.email),
    email: people.legacy.email,
    displayName: people.legacy.name,
    createdAt: new Date(),
  });
  otherTenantMember = await register(otherTenantId, { email: uniqueEmail('stranger'), name: 'Stan Stranger' });
  producer = await TenantEventProducer.connect(auth.kafka!, auth.topics.tenant, tenantId);
  otherProducer = await TenantEventProducer.connect(auth.kafka!, auth.topics.tenant, otherTenantId);
  auditProducer = auth.kafka!.producer({ allowAutoTopicCreation: true });
  await auditProducer.connect();
  await producer.send(
    tenantEvents.instanceCreated('Acme', ids.owner),
    tenantEvents.memberAdded(ids.owner, 'owner'),
    tenantEvents.memberAdded(ids.admin, 'admin'),
    tenantEvents.memberAdded(ids.member, 'member'),
    tenantEvents.memberAdded(ids.leaver, 'member'),
    tenantEvents.memberAdded(ids.legacy, 'member'),
  );
  await otherProducer.send(tenantEvents.instanceCreated('Other', otherTenantMember), tenantEvents.memberAdded(otherTenantMember, 'owner'));
  await Promise.all([people.member.email, people.legacy.email, people.leaver.email].map((to) => smtp.waitForMail(to, { timeoutMs: 30_000 })));
});

afterAll(async () => {
  asAudit?.close();
  asTenant?.close();
  await producer?.disconnect();
  await otherProducer?.disconnect();
  await auditProducer?.disconnect();
  await auth?.stop();
});

describe('personal fields at rest', () => {
  it('stores email and name sealed: the raw collection holds neither', async () => {
    for (const who of ['owner', 'admin', 'member', 'leaver'] as const) {
      const row = (await rawAccount(ids[who]))!;
      expect(row.email).toMatch(/^pf1\./);
      expect(row.displayName).toMatch(/^pf1\./);
      const raw = JSON.stringify(row);
      expect(raw).not.toContain(people[who].email);
      expect(raw).not.toContain(people[who].name);
      expect(row.emailHash).toBe(hashEmail(auth.settings.emailHashKey, people[who].email));
    }
  });

  it('opens them to address mail: the invitation reaches the address, greets by name, Reply-To the owner', async () => {
    const [mail] = await smtp.list(people.member.email);
    expect(mail!.text).toContain('Hello Max Member,');
    expect(mail!.replyTo).toBe(people.owner.email);
  });

  it('keeps legacy plaintext rows working', async () => {
    const [mail] = await smtp.list(people.legacy.email);
    expect(mail!.text).toContain('Hello Leo Legacy,');
  });
});

describe('rectification', () => {
  it('lets the person correct their name: sealed row, AccountRectified with sealed changes, the view', async () => {
    const res = await patch('/v1/auth/accounts/me', { displayName: '  Maximilian Member ' }, mint(ids.member, 'member'));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ subjectId: ids.member, tenantId, email: people.member.email, displayName: 'Maximilian Member' });
    const row = (await rawAccount(ids.member))!;
    expect(row.displayName).toMatch(/^pf1\./);
    expect(JSON.stringify(row)).not.toContain('Maximilian');
    const [event] = await eventsOf({ streamId: `account-${ids.member}`, type: 'auth.AccountRectified' });
    expect(event).toMatchObject({ tenantId, subjectId: ids.member, actor: { kind: eventsV1.ActorKind.ACTOR_KIND_PERSON, id: ids.member } });
    const stored = (await auth.runtime.store.readStream(`account-${ids.member}`, { tenantId: checkedTenantId(tenantId) })).at(-1)!;
    expect(Buffer.from(stored.payload).toString('latin1')).not.toContain('Maximilian');
  });

  it('seals the new values for the person only (field "rectification")', async () => {
    const stored = (await auth.runtime.store.readStream(`account-${ids.member}`, { tenantId: checkedTenantId(tenantId) })).at(-1)!;
    const { authV1 } = await import('@enclave/proto');
    const event = authV1.AuthEvent.decode(stored.payload).event;
    if (event?.$case !== 'accountRectified') throw new Error('expected AccountRectified');
    expect(event.value.fields).toEqual(['display_name']);
    const opened = await auth.personalFields.open({ tenantId, subjectId: ids.member, field: 'sealedChanges' }, event.value.sealedChanges);
    expect(JSON.parse(opened!)).toEqual({ displayName: 'Maximilian Member' });
    expect(await auth.personalFields.open({ tenantId, subjectId: ids.admin, field: 'sealedChanges' }, event.value.sealedChanges)).toBeNull();
  });

  it('lets an admin correct a member email once the new address confirms it; sign-in follows the new address', async () => {
    const newEmail = uniqueEmail('max-new');
    const res = await patch(`/v1/tenants/${tenantId}/accounts/${ids.member}`, { email: newEmail.toUpperCase() }, mint(ids.admin, 'admin'));
    expect(res).toMatchObject({ status: 202, body: { email: people.member.email, displayName: 'Maximilian Member', emailChange: 'confirmation_sent' } });
    const link = await smtp.waitForMail(newEmail, { timeoutMs: 10_000 });
    const token = /\/confirm-email\?tenant=[^&\s]+&token=([A-Za-z0-9_-]{43})/.exec(link.text ?? '')![1]!;
    expect((await postJson(auth.baseUrl, '/v1/auth/email-changes/confirm', { token })).status).toBe(200);
    expect(JSON.stringify(await rawAccount(ids.member))).not.toContain(newEmail);
    const events = await eventsOf({ streamId: `account-${ids.member}`, type: 'auth.AccountRectified' });
    expect(events).toHaveLength(2);
    expect(events[1]).toMatchObject({ actor: { id: ids.admin, role: 'admin' } });
    expect((await postJson(auth.baseUrl, '/v1/auth/login-links', { tenantId, email: newEmail }, '203.0.113.7')).status).toBe(202);
    await auth.runtime.tasks.drain();
    expect(await smtp.waitForMail(newEmail, { timeoutMs: 10_000, match: (m) => /\/login\?/.test(m.text ?? '') })).toBeDefined();
    people.member.email = newEmail;
  });

  it('seals a legacy plaintext row in full when it is rectified', async () => {
    const res = await patch('/v1/auth/accounts/me', { displayName: 'Leonard Legacy' }, mint(ids.legacy, 'member'));
    expect(res).toMatchObject({ status: 200, body: { email: people.legacy.email, displayName: 'Leonard Legacy' } });
    const row = (await rawAccount(ids.legacy))!;
    expect(row.email).toMatch(/^pf1\./);
    expect(JSON.stringify(row)).not.toContain(people.legacy.email);
  });

  it('records nothing when the values are unchanged', async () => {
    const res = await patch('/v1/auth/accounts/me', { displayName: 'Maximilian Member' }, mint(ids.member, 'member'));
    expect(res.status).toBe(200);
    expect(await eventsOf({ streamId: `account-${ids.member}`, type: 'auth.AccountRectified' })).toHaveLength(2);
  });

  it.each([
    ['an empty body', {}],
    ['a malformed email', { email: 'not-an-email' }],
    ['an unknown field', { role: 'owner' }],
  ])('answers 400 for %s without echoing it', async (_case, body) => {
    const res = await patch('/v1/auth/accounts/me', body, mint(ids.member, 'member'));
    expect(res).toMatchObject({ status: 400, body: { error: 'bad_request' } });
    expect(JSON.stringify(res.body)).not.toContain('not-an-email');
  });

  it('answers 401 without a session', async () => {
    expect((await patch('/v1/auth/accounts/me', { displayName: 'X' })).status).toBe(401);
    expect((await patch(`/v1/tenants/${tenantId}/accounts/${ids.member}`, { displayName: 'X' })).status).toBe(401);
  });

  it('answers 403 to a member changing someone else', async () => {
    const res = await patch(`/v1/tenants/${tenantId}/accounts/${ids.admin}`, { displayName: 'Hacked' }, mint(ids.member, 'member'));
    expect(res).toMatchObject({ status: 403, body: { error: 'forbidden' } });
  });

  it('answers 404 for another tenant and for an unknown person', async () => {
    const otherTenant = await patch(`/v1/tenants/${otherTenantId}/accounts/${otherTenantMember}`, { displayName: 'X' }, mint(ids.owner, 'owner'));
    expect(otherTenant).toMatchObject({ status: 404, body: { error: 'not_found' } });
    // A member of another tenant named under our tenant's path: not found here either.
    const foreign = await patch(`/v1/tenants/${tenantId}/accounts/${otherTenantMember}`, { displayName: 'X' }, mint(ids.owner, 'owner'));
    expect(foreign).toMatchObject({ status: 404, body: { error: 'not_found' } });
  });

  it('answers 409 for an email that belongs to another account of the tenant, without saying whose', async () => {
    const res = await patch('/v1/auth/accounts/me', { email: people.admin.email }, mint(ids.member, 'member'));
    expect(res).toMatchObject({ status: 409, body: { error: 'conflict' } });
    expect(JSON.stringify(res.body)).not.toContain(people.admin.email);
    expect((await patch('/v1/auth/accounts/me', { email: people.admin.email }, mint(ids.admin, 'admin'))).status).toBe(200);
  });
});

describe('ExportSubjectData', () => {
  it('gives audit the account opened, the membership and the login history', async () => {
    const invitation = (await smtp.list(people.leaver.email))[0]!;
    const session = await postJson(auth.baseUrl, '/v1/auth/sessions', { token: tokenFromMail(invitation.text).token });
    expect(session.status).toBe(200);
    const doc = await exportOf(ids.leaver);
    expect(doc.account).toEqual({ subjectId: ids.leaver, email: people.leaver.email, displayName: 'Lena Leaver', createdAt: expect.any(String) });
    expect(doc.membership).toMatchObject({ role: 'member', active: true });
    expect(doc.loginLinks).toEqual([expect.objectContaining({ purpose: 'invitation', usedAt: expect.any(String) })]);
    expect(doc.sessions).toEqual([{ sessionId: expect.any(String), role: 'member', startedAt: expect.any(String) }]);
    expect(session.body).toMatchObject({ subjectId: ids.leaver });
  });

  it('answers {} for a person auth does not know, and for another tenant', async () => {
    expect(await exportOf('nobody-here')).toEqual({});
    expect(await exportOf(ids.leaver, otherTenantId)).toEqual({});
  });

  it('refuses every caller but audit, and malformed ids', async () => {
    await expect(asTenant.call('exportSubjectData', { tenantId, subjectId: ids.leaver })).rejects.toMatchObject({ code: GrpcStatus.PERMISSION_DENIED });
    await expect(asAudit.call('exportSubjectData', { tenantId: '$x', subjectId: ids.leaver })).rejects.toMatchObject({ code: GrpcStatus.INVALID_ARGUMENT });
  });
});

describe('SubjectPurgeRequested on the audit topic', () => {
  const requestId = uniqueName('purge');
  let purgeEnvelope: EventEnvelope;
  let redis: Redis;
  const counterKey = () => `${auth.redisKeyPrefix}auth:login-links:email:${tenantId}:${hashEmail(auth.settings.emailHashKey, people.leaver.email)}`;

  beforeAll(async () => {
    // A login-link request leaves a rate counter keyed by the person's email hash.
    expect((await postJson(auth.baseUrl, '/v1/auth/login-links', { tenantId, email: people.leaver.email }, '203.0.113.9')).status).toBe(202);
    await auth.runtime.tasks.drain();
    redis = new Redis(loadInfraEnv().redisUrl);
    expect(await redis.exists(counterKey())).toBe(1);
    purgeEnvelope = await requestPurge(requestId, ids.leaver);
    await waitFor(async () => ((await confirmations(requestId)).length > 0 ? true : undefined), { timeoutMs: 30_000, description: 'SubjectDataPurged' });
  });

  afterAll(() => redis?.disconnect());

  it('deletes the account, login links, claims, membership, sign-ins and Redis counters of the person', async () => {
    const db = auth.connection;
    expect(await db.collection('accounts').countDocuments({ tenantId, subjectId: ids.leaver })).toBe(0);
    expect(await db.collection('memberships').countDocuments({ tenantId, subjectId: ids.leaver })).toBe(0);
    expect(await db.collection('login_links').countDocuments({ tenantId, subjectId: ids.leaver })).toBe(0);
    expect(await db.collection('auth_sessions').countDocuments({ tenantId, subjectId: ids.leaver })).toBe(0);
    expect(await redis.exists(counterKey())).toBe(0);
    // What is left is auth's event log, which is never rewritten: it names the person only by
    // their pseudonymous id (SessionStarted: session id and role).
    const left = await exportOf(ids.leaver);
    expect(Object.keys(left)).toEqual(['sessions']);
    expect(JSON.stringify(left)).not.toContain('Lena');
    // Other people are untouched.
    expect(await db.collection('accounts').countDocuments({ tenantId, subjectId: ids.member })).toBe(1);
  });

  it('confirms with SubjectDataPurged as the auth service, naming the request and the records deleted', async () => {
    const [confirmation] = await confirmations(requestId);
    expect(confirmation).toMatchObject({ tenantId, subjectId: ids.leaver, type: 'auth.SubjectDataPurged', version: 1 });
    expect(confirmation!.actor).toMatchObject({ kind: eventsV1.ActorKind.ACTOR_KIND_SERVICE, id: 'auth' });
    const { authV1 } = await import('@enclave/proto');
    const event = authV1.AuthEvent.decode(confirmation!.payload.buffer).event;
    // account + membership + invitation link + its claim + the sign-in it started + the login link just requested + the Redis counter
    expect(event).toEqual({ $case: 'subjectDataPurged', value: { requestId, subjectId: ids.leaver, recordsDeleted: 7 } });
  });

  it('confirms only once when the request is redelivered or sent again', async () => {
    await sendAudit(purgeEnvelope);
    await requestPurge(requestId, ids.leaver);
    const sentinel = uniqueName('purge-sentinel');
    await requestPurge(sentinel, 'nobody-at-all');
    await waitFor(async () => ((await confirmations(sentinel)).length > 0 ? true : undefined), { timeoutMs: 30_000, description: 'the sentinel purge' });
    expect(await confirmations(requestId)).toHaveLength(1);
    expect(await auth.runtime.purgeSubject.execute({ tenantId, requestId, subjectId: ids.leaver })).toEqual({ recordsDeleted: 0, confirmed: false });
    expect(await confirmations(requestId)).toHaveLength(1);
  });

  it('treats the person as erased afterwards: their old sealed values no longer open here', async () => {
    expect(await auth.personalFields.open({ tenantId, subjectId: ids.leaver, field: 'email' }, 'pf1.k1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')).toBeNull();
    await expect(auth.personalFields.seal({ tenantId, subjectId: ids.leaver, field: 'email' }, 'x@y.z')).rejects.toThrow(/erased/);
  });
});

describe('security_logs retention', () => {
  const settings = (securityLogDays: number): tenantV1.TenantEvent => ({
    event: {
      $case: 'settingsChanged',
      value: {
        settings: {
          instanceName: 'Other',
          systemInstruction: '',
          messageLogging: false,
          privacyPolicyUrl: '',
          defaultModel: 'm',
          allowedModels: [],
          messageLoggingNoticeVersion: '',
          retention: { conversationDays: 0, securityLogDays, usageDetailDays: 365 },
        },
      },
    },
  });
  const links = (tenant: string) => auth.connection.collection('login_links').countDocuments({ tenantId: tenant });
  const purgedEvents = (tenant: string) => eventsOf({ tenantId: tenant, type: 'auth.RetentionPurged' });

  beforeAll(async () => {
    await otherProducer.send(settings(5));
    await waitFor(async () => ((await auth.connection.collection('tenants').findOne({ tenantId: otherTenantId }))?.securityLogDays === 5 ? true : undefined), {
      timeoutMs: 30_000,
      description: 'the tenant retention setting',
    });
  });

  it('keeps links that are young or still usable', async () => {
    const before = { ours: await links(tenantId), other: await links(otherTenantId) };
    expect(before.ours).toBeGreaterThan(0);
    expect(before.other).toBeGreaterThan(0);
    // Two days on: the other tenant's 5-day period has not passed and invitations are still valid.
    const run = await auth.runtime.retention.runOnce(auth.clock.nowMs() + 2 * DAY_MS);
    expect(run.purged).toEqual([]);
    expect({ ours: await links(tenantId), other: await links(otherTenantId) }).toEqual(before);
  });

  it('deletes per tenant period and records RetentionPurged for each tenant it pruned', async () => {
    const ours = await links(tenantId);
    const atSixDays = auth.clock.nowMs() + 6 * DAY_MS;
    const first = await auth.runtime.retention.runOnce(atSixDays);
    expect(first.purged).toEqual([{ tenantId: otherTenantId, cutoffMs: atSixDays - 5 * DAY_MS, recordsDeleted: expect.any(Number) }]);
    expect(await links(otherTenantId)).toBe(0);
    expect(await links(tenantId)).toBe(ours);

    const atNinetyOne = auth.clock.nowMs() + 91 * DAY_MS;
    const second = await auth.runtime.retention.runOnce(atNinetyOne);
    expect(second.purged).toEqual([{ tenantId, cutoffMs: atNinetyOne - 90 * DAY_MS, recordsDeleted: expect.any(Number) }]);
    expect(await links(tenantId)).toBe(0);
    expect(await auth.connection.collection('login_link_claims').countDocuments({ tenantId })).toBe(0);

    const [event] = await purgedEvents(tenantId);
    expect(event).toMatchObject({ type: 'auth.RetentionPurged', subjectId: '', actor: { kind: eventsV1.ActorKind.ACTOR_KIND_SERVICE, id: 'auth' } });
    expect(await purgedEvents(otherTenantId)).toHaveLength(1);
    expect((await auth.runtime.retention.runOnce(atNinetyOne)).purged).toEqual([]);
    expect(await purgedEvents(tenantId)).toHaveLength(1);
  });
});
