// Against real Kafka, FerretDB, Redis and SMTP: do tenant events become invitations (once, even when redelivered) whose links start sessions verifiable with the JWKS, and is every step published without personal data?
import type { Consumer } from 'kafkajs';
import { authV1, eventsV1 } from '@enclave/proto';
import { createGrpcClient, GrpcStatus, loadServiceIdentity, type GrpcClient, type GrpcError, type Jwks } from '@enclave/platform';
import { StaticKeysSessionVerifier } from '@enclave/session';
import { SmtpCatcherClient, uniqueName, waitFor, type CaughtMail } from '@enclave/testing';
import { postJson, serviceKeys, startAuth, TenantEventProducer, tenantEvents, tokenFromMail, uniqueEmail, type AuthHarness } from '../test-support/auth-test-kit.helper.spec';

// Broker group joins and leaves take seconds; the project-level testTimeout does not reach hooks.
jest.setTimeout(60_000);

const keys = serviceKeys();
const smtp = new SmtpCatcherClient();
const tenantId = uniqueName('tenant');
const ownerEmail = uniqueEmail('owner');
const memberEmail = uniqueEmail('member');
let auth: AuthHarness;
let asTenant: GrpcClient<typeof authV1.AuthServiceService>;
let asChatGateway: GrpcClient<typeof authV1.AuthServiceService>;
let producer: TenantEventProducer;
let authTopicReader: Consumer;
const published: Array<{ key: string; envelope: eventsV1.EventEnvelope; raw: Buffer }> = [];
let ownerId: string;
let memberId: string;
let memberAdded: eventsV1.EventEnvelope;
let invitation: CaughtMail;

const grpcAs = (service: 'tenant' | 'chat-gateway') =>
  createGrpcClient(authV1.AuthServiceClient, `127.0.0.1:${auth.runtime.grpcPort}`, {
    identity: loadServiceIdentity(service, (service === 'tenant' ? keys.tenant : keys.chatGateway).privateKey),
    audience: 'auth',
    defaultDeadlineMs: 5000,
    maxAttempts: 1,
  });
const register = async (email: string, displayName: string) => (await asTenant.call('registerAccount', { tenantId, email, displayName })).subjectId;
const streamTypes = async (streamId: string) => (await auth.runtime.store.readStream(streamId, { tenantId: tenantId as never })).map((e) => e.type);

/** Adds a fresh member through the topic and waits for their invitation: everything sent before it was handled. */
async function addSentinel(): Promise<CaughtMail> {
  const email = uniqueEmail('sentinel');
  await producer.send(tenantEvents.memberAdded(await register(email, 'Sentinel'), 'member'));
  return smtp.waitForMail(email, { timeoutMs: 30_000 });
}

beforeAll(async () => {
  auth = await startAuth({ withKafka: true, keys });
  asTenant = grpcAs('tenant');
  asChatGateway = grpcAs('chat-gateway');
  authTopicReader = auth.kafka!.consumer({ groupId: uniqueName('auth-topic-reader') });
  await authTopicReader.connect();
  await authTopicReader.subscribe({ topic: auth.topics.auth, fromBeginning: true });
  await authTopicReader.run({
    eachMessage: async ({ message }) => {
      published.push({ key: message.key!.toString(), envelope: eventsV1.EventEnvelope.decode(message.value!), raw: message.value! });
    },
  });

  ownerId = await register(ownerEmail, 'Olive Owner');
  memberId = await register(memberEmail, 'Max Member');
  producer = await TenantEventProducer.connect(auth.kafka!, auth.topics.tenant, tenantId);
  [, , memberAdded] = (await producer.send(
    tenantEvents.instanceCreated('Acme', ownerId),
    tenantEvents.memberAdded(ownerId, 'owner'),
    tenantEvents.memberAdded(memberId, 'member'),
  )) as [eventsV1.EventEnvelope, eventsV1.EventEnvelope, eventsV1.EventEnvelope];
  invitation = await smtp.waitForMail(memberEmail, { timeoutMs: 30_000 });
});

afterAll(async () => {
  asTenant?.close();
  asChatGateway?.close();
  await producer?.disconnect();
  await authTopicReader?.disconnect();
  await auth?.stop();
});

describe('RegisterAccount over gRPC', () => {
  it('gives the same subject id for the same email in any case, and says it was not created', async () => {
    const again = await asTenant.call('registerAccount', { tenantId, email: `  ${memberEmail.toUpperCase()} `, displayName: 'Someone Else' });
    expect(again).toEqual({ subjectId: memberId, created: false });
    expect(memberId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-/);
  });

  it('records AccountRegistered once per account', async () => {
    expect(await streamTypes(`account-${memberId}`)).toEqual(['auth.AccountRegistered']);
  });

  it('refuses callers other than tenant with PERMISSION_DENIED', async () => {
    const call = asChatGateway.call('registerAccount', { tenantId, email: uniqueEmail('x'), displayName: '' });
    await expect(call).rejects.toMatchObject({ code: GrpcStatus.PERMISSION_DENIED });
  });

  it('answers INVALID_ARGUMENT for a malformed email without echoing it', async () => {
    const error = (await asTenant.call('registerAccount', { tenantId, email: 'not-an-email', displayName: '' }).catch((e: unknown) => e)) as GrpcError;
    expect(error.code).toBe(GrpcStatus.INVALID_ARGUMENT);
    expect(error.message).toContain('email');
    expect(error.message).not.toContain('not-an-email');
  });

  it('serves the JWKS of HTTP through GetSigningKeys to any trusted service', async () => {
    const { jwksJson } = await asChatGateway.call('getSigningKeys', {});
    const http = (await (await fetch(`${auth.baseUrl}/v1/auth/jwks`)).json()) as Jwks;
    expect(JSON.parse(jwksJson)).toEqual(http);
    expect(http.keys).toHaveLength(1);
  });
});

describe('invitation from MemberAdded on the tenant topic', () => {
  it('is mailed to the member, Reply-To the owner, naming the instance, with a link to this tenant', () => {
    expect(invitation.to).toEqual([memberEmail]);
    expect(invitation.replyTo).toBe(ownerEmail);
    expect(invitation.from).toBe('no-reply@enclave.test');
    expect(invitation.subject).toBe("You're invited to an Enclave instance");
    expect(invitation.text).toContain('Hello Max Member,');
    expect(tokenFromMail(invitation.text).tenant).toBe(tenantId);
  });

  it('reaches the owner as well, from the owner MemberAdded', async () => {
    const mail = await smtp.waitForMail(ownerEmail, { timeoutMs: 10_000 });
    expect(mail.subject).toBe("You're invited to an Enclave instance");
  });

  it('records InvitationSent and LoginLinkIssued on the stream of the MemberAdded event', async () => {
    expect(await streamTypes(`login-link-${memberAdded.id}`)).toEqual(['auth.InvitationSent', 'auth.LoginLinkIssued']);
  });

  it('is not mailed again when Kafka redelivers the event', async () => {
    await producer.resend([memberAdded]);
    await addSentinel();
    expect(await smtp.list(memberEmail)).toHaveLength(1);
  });

  it('is not mailed again when the event is applied again (crash before the processed marker)', async () => {
    await auth.runtime.applyTenantFact.execute(
      { type: 'MemberAdded', subjectId: memberId, role: 'member' },
      { tenantId, eventId: memberAdded.id, version: Number(memberAdded.streamVersion), actor: { kind: 'service', name: 'tenant' }, occurredAtMs: Date.now() },
    );
    expect(await smtp.list(memberEmail)).toHaveLength(1);
  });

  it('starts a member session from the mailed link, verifiable with the published JWKS', async () => {
    const res = await postJson(auth.baseUrl, '/v1/auth/sessions', { token: tokenFromMail(invitation.text).token });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ subjectId: memberId, tenantId, role: 'member' });
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^enclave_session=[^;]+;/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(cookie).toMatch(/Path=\//);
    const jwks = (await (await fetch(`${auth.baseUrl}/v1/auth/jwks`)).json()) as Jwks;
    const claims = await new StaticKeysSessionVerifier(jwks, () => auth.clock.nowMs()).verify(res.body!.token as string);
    expect(claims).toMatchObject({ subjectId: memberId, tenantId, role: 'member' });
    expect(new Date(res.body!.expiresAt as string).getTime()).toBe(claims.expiresAt);
  });
});

describe('a member removed on the tenant topic', () => {
  it('gets no login link mail and cannot use an invitation they still hold', async () => {
    const email = uniqueEmail('leaver');
    const leaverId = await register(email, 'Lee Leaver');
    await producer.send(tenantEvents.memberAdded(leaverId, 'admin'));
    const invite = await smtp.waitForMail(email, { timeoutMs: 30_000 });
    await producer.send(tenantEvents.memberRemoved(leaverId));
    await addSentinel();

    expect((await postJson(auth.baseUrl, '/v1/auth/login-links', { tenantId, email }, '203.0.113.50')).status).toBe(202);
    await auth.runtime.tasks.drain();
    expect(await smtp.list(email)).toHaveLength(1);
    const res = await postJson(auth.baseUrl, '/v1/auth/sessions', { token: tokenFromMail(invite.text).token });
    expect(res).toMatchObject({ status: 401, body: { error: 'invalid_link' } });
  });
});

describe('events on enclave.auth.events.v1', () => {
  it('carry each step, keyed by tenant, with the subject id and no email or name', async () => {
    const types = await waitFor(
      () => {
        const mine = published.filter((p) => p.envelope.tenantId === tenantId && p.envelope.subjectId === memberId).map((p) => p.envelope.type);
        return mine.includes('auth.SessionStarted') ? mine : undefined;
      },
      { timeoutMs: 20_000, description: 'the member session on the auth topic' },
    );
    expect(types).toEqual(['auth.AccountRegistered', 'auth.InvitationSent', 'auth.LoginLinkIssued', 'auth.SessionStarted']);
    const mine = published.filter((p) => p.envelope.tenantId === tenantId);
    for (const { key, raw } of mine) {
      expect(key).toBe(tenantId);
      const text = raw.toString('latin1');
      expect(text).not.toContain(memberEmail);
      expect(text).not.toContain(ownerEmail);
      expect(text).not.toContain('Max Member');
    }
    const started = mine.find((p) => p.envelope.type === 'auth.SessionStarted')!.envelope;
    const payload = authV1.AuthEvent.decode(started.payload).event;
    expect(payload).toMatchObject({ $case: 'sessionStarted', value: { subjectId: memberId, role: 'member' } });
    expect(started.actor).toEqual({ kind: eventsV1.ActorKind.ACTOR_KIND_PERSON, id: memberId, role: 'member' });
  });
});
