// Do erasure, restriction, sealing, admin reads, purge, export and retention behave end to end on real Mongo, Kafka and Redis?
import { randomUUID } from 'node:crypto';
import { buildEnvelope, tenantId as toTenantId, toKafkaMessage } from '@enclave/eventing';
import { createGrpcClient, GrpcError, GrpcStatus, generateServiceKeypair, loadServiceIdentity, ServiceTrust } from '@enclave/platform';
import { eventsV1, privacyV1, TOPICS, type auditV1, type chatGatewayV1 } from '@enclave/proto';
import { waitFor } from '@enclave/testing';
import type { Producer } from 'kafkajs';
import { ChatGatewayKit } from '../test-support/chat-gateway-test-kit.helper.spec';
import { TopicCollector } from '../test-support/topic-collector.helper.spec';
import { chatGatewayTopic } from '../virtual-keys/interface/virtual-key-events';
import { PrivacyRegistry } from './application/privacy-registry';
import { PrivacyStateLoader } from './application/privacy-state-loader';
import { auditTopic } from './interface/audit-events';

const DAY = 86_400_000;
const audit = generateServiceKeypair();
const billing = generateServiceKeypair();

let kit: ChatGatewayKit;
let producer: Producer;
let collector: TopicCollector<chatGatewayV1.ChatGatewayEvent>;

type AuditPayload = NonNullable<auditV1.AuditEvent['event']>;

async function publishAudit(tenantId: string, subjectId: string, event: AuditPayload): Promise<void> {
  const envelope = buildEnvelope(auditTopic, { event }, {
    type: `audit.${event.$case}`,
    tenantId: toTenantId(tenantId),
    subjectId,
    actor: { kind: eventsV1.ActorKind.ACTOR_KIND_PERSON, id: subjectId, role: 'member' },
  });
  await producer.send({ topic: TOPICS.audit.name, messages: [toKafkaMessage(envelope)] });
}

const raw = (name: string) => kit.connection.collection(name);
const json = <T>(res: { json: unknown }) => res.json as T;

beforeAll(async () => {
  kit = await ChatGatewayKit.start({ kafka: true, grpcTrust: new ServiceTrust({ audit: audit.publicKey, billing: billing.publicKey }) });
  producer = kit.kafka!.producer({ allowAutoTopicCreation: true });
  await producer.connect();
  collector = await TopicCollector.start(kit.kafka!, chatGatewayTopic);
  await waitFor(() => kit.runtime.cacheEventsReady(), { timeoutMs: 60_000, description: 'the cache-event consumer to join' });
  // The shared audit consumer starts at the latest offset in tests: wait until it processes a probe.
  const probeTenant = randomUUID();
  await waitFor(async () => {
    await publishAudit(probeTenant, 'probe', { $case: 'processingRestricted', value: { subjectId: 'probe', requestId: 'p', kind: 'restriction' } });
    return (await raw('privacy_states').countDocuments({ tenantId: probeTenant })) > 0;
  }, { timeoutMs: 60_000, intervalMs: 1000, description: 'the audit consumer to process events' });
}, 120_000);

afterAll(async () => {
  await collector?.stop();
  await producer?.disconnect();
  await kit?.close();
});

describe('erasure pending (frozen)', () => {
  it('403 account_frozen for chats, new conversations and history; cancel restores; a later replica knows from the rows', async () => {
    const tenantId = kit.newTenant();
    const alice = kit.mint({ tenantId, role: 'member' });
    const conversation = await kit.newConversation(alice.token, 'before');
    await publishAudit(tenantId, alice.subjectId, { $case: 'erasureRequested', value: { requestId: 'r1', subjectId: alice.subjectId, graceEndsAtMs: Date.now() + 30 * DAY } });
    await waitFor(async () => (await kit.request('GET', '/v1/conversations', { token: alice.token })).status === 403, { timeoutMs: 30_000, description: 'frozen' });

    const list = await kit.request('GET', '/v1/conversations', { token: alice.token });
    expect(list.json).toEqual({ error: 'account_frozen', message: expect.any(String) });
    expect((await kit.request('GET', `/v1/conversations/${conversation}`, { token: alice.token })).status).toBe(403);
    expect(json<{ error: string }>(await kit.chat(alice.token, conversation, 'hello')).error).toBe('account_frozen');
    expect((await kit.request('POST', '/v1/conversations', { token: alice.token, body: {} })).status).toBe(403);
    // Others are unaffected.
    const bob = kit.mint({ tenantId, role: 'member' });
    expect((await kit.request('GET', '/v1/conversations', { token: bob.token })).status).toBe(200);

    await waitFor(async () => (await raw('privacy_states').findOne({ tenantId, subjectId: alice.subjectId }))?.frozen === true, { timeoutMs: 30_000, description: 'the row' });
    const later = new PrivacyRegistry();
    await new PrivacyStateLoader(kit.runtime.privacy.rows, later, { warn: () => undefined } as never).load();
    expect(later.get(tenantId, alice.subjectId).frozen).toBe(true);

    await publishAudit(tenantId, alice.subjectId, { $case: 'erasureCancelled', value: { requestId: 'r1', subjectId: alice.subjectId } });
    await waitFor(async () => (await kit.request('GET', '/v1/conversations', { token: alice.token })).status === 200, { timeoutMs: 30_000, description: 'unfrozen' });
    expect((await kit.chat(alice.token, conversation, 'back again')).status).toBe(200);
  });
});

describe('restriction', () => {
  it('refuses new chats and stores nothing, keeps own history readable, blocks admin reads; lifting restores', async () => {
    const tenantId = kit.newTenant({ messageLogging: true });
    const carl = kit.mint({ tenantId, role: 'member' });
    const admin = kit.mint({ tenantId, role: 'admin' });
    const conversation = await kit.newConversation(carl.token, 'mine');
    expect((await kit.chat(carl.token, conversation, 'first words')).status).toBe(200);
    await publishAudit(tenantId, carl.subjectId, { $case: 'processingRestricted', value: { subjectId: carl.subjectId, requestId: 'r2', kind: 'objection' } });
    await waitFor(async () => (await kit.chat(carl.token, conversation, 'probe')).status === 403, { timeoutMs: 30_000, description: 'restricted' });

    const before = await raw('messages').countDocuments({ tenantId, subjectId: carl.subjectId });
    const refused = await kit.chat(carl.token, conversation, 'should not be stored');
    expect(refused.status).toBe(403);
    expect(refused.json).toEqual({ error: 'processing_restricted', message: expect.any(String) });
    expect(json<{ error: string }>(await kit.request('POST', '/v1/conversations', { token: carl.token, body: { title: 'new' } })).error).toBe('processing_restricted');
    expect(await raw('messages').countDocuments({ tenantId, subjectId: carl.subjectId })).toBe(before);
    expect(await raw('conversations').countDocuments({ tenantId, subjectId: carl.subjectId })).toBe(1);

    const own = await kit.request('GET', `/v1/conversations/${conversation}`, { token: carl.token });
    expect(own.status).toBe(200);
    expect(json<{ messages: Array<{ content: string }> }>(own).messages[0]!.content).toBe('first words');
    const adminRead = await kit.request('GET', `/v1/tenants/${tenantId}/members/${carl.subjectId}/conversations?reason=member_request`, { token: admin.token });
    expect(adminRead.status).toBe(403);
    expect(json<{ error: string }>(adminRead).error).toBe('processing_restricted');

    await publishAudit(tenantId, carl.subjectId, { $case: 'processingRestrictionLifted', value: { subjectId: carl.subjectId } });
    await waitFor(async () => (await kit.chat(carl.token, conversation, 'free again')).status === 200, { timeoutMs: 30_000, description: 'lifted' });
  });
});

describe('sealing at rest', () => {
  it('stores titles and message text sealed, serves them opened, and still reads legacy plaintext', async () => {
    const tenantId = kit.newTenant();
    const dora = kit.mint({ tenantId, role: 'member' });
    const conversation = await kit.newConversation(dora.token, 'Dora secret plans');
    expect((await kit.chat(dora.token, conversation, 'my very private sentence')).status).toBe(200);

    const title = (await raw('conversations').findOne({ _id: conversation as never }))!.title as string;
    expect(title.startsWith('pf1.')).toBe(true);
    expect(title).not.toContain('Dora');
    const stored = await raw('messages').find({ tenantId, conversationId: conversation }).toArray();
    expect(stored).toHaveLength(2);
    for (const m of stored) expect(String(m.content).startsWith('pf1.')).toBe(true);
    expect(JSON.stringify(stored)).not.toContain('private sentence');

    await raw('messages').insertOne({
      _id: randomUUID() as never, tenantId, subjectId: dora.subjectId, conversationId: conversation, role: 'user',
      content: 'legacy plain words', createdAt: new Date(Date.now() + 1000), complete: true,
    });
    const read = await kit.request('GET', `/v1/conversations/${conversation}`, { token: dora.token });
    const body = json<{ title: string; messages: Array<{ role: string; content: string }> }>(read);
    expect(body.title).toBe('Dora secret plans');
    expect(body.messages[0]).toMatchObject({ role: 'user', content: 'my very private sentence' });
    expect(body.messages[1]!.role).toBe('assistant');
    expect(body.messages[1]!.content.length).toBeGreaterThan(0);
    expect(body.messages[2]!.content).toBe('legacy plain words');
    const search = await kit.request('GET', '/v1/conversations?query=SECRET', { token: dora.token });
    expect(json<{ conversations: Array<{ id: string }> }>(search).conversations.map((c) => c.id)).toEqual([conversation]);
  });
});

describe('admin reads of a member\'s chats', () => {
  it('403 while logging is off; with logging on 200 and MemberChatRead with its reason; 400 without a reason; 403 for members, 404 elsewhere', async () => {
    const quiet = kit.newTenant();
    const quietAdmin = kit.mint({ tenantId: quiet, role: 'owner' });
    const quietMember = kit.mint({ tenantId: quiet, role: 'member' });
    const off = await kit.request('GET', `/v1/tenants/${quiet}/members/${quietMember.subjectId}/conversations?reason=member_request`, { token: quietAdmin.token });
    expect(off.status).toBe(403);
    expect(json<{ error: string }>(off).error).toBe('message_logging_off');

    const tenantId = kit.newTenant({ messageLogging: true });
    const admin = kit.mint({ tenantId, role: 'admin' });
    const eve = kit.mint({ tenantId, role: 'member' });
    const conversation = await kit.newConversation(eve.token, 'Eve topic');
    expect((await kit.chat(eve.token, conversation, 'eve asks')).status).toBe(200);
    const base = `/v1/tenants/${tenantId}/members/${eve.subjectId}/conversations`;
    for (const path of [base, `${base}?reason=curiosity`, `${base}/${conversation}/messages`]) {
      const noReason = await kit.request('GET', path, { token: admin.token });
      expect(noReason.status).toBe(400);
      expect(json<{ message: string }>(noReason).message).toContain('reason is required');
    }

    const list = await kit.request('GET', `${base}?reason=security_investigation`, { token: admin.token });
    expect(list.status).toBe(200);
    expect(json<{ conversations: Array<{ id: string; title: string }> }>(list).conversations).toEqual([expect.objectContaining({ id: conversation, title: 'Eve topic' })]);
    const messages = await kit.request('GET', `${base}/${conversation}/messages?reason=security_investigation`, { token: admin.token });
    expect(messages.status).toBe(200);
    expect(json<{ messages: Array<{ content: string }> }>(messages).messages.map((m) => m.content)[0]).toBe('eve asks');

    await waitFor(() => collector.received.filter((e) => e.envelope.tenantId === tenantId && e.payload.event?.$case === 'memberChatRead').length === 2, {
      timeoutMs: 30_000, description: 'two MemberChatRead events',
    });
    const reads = collector.received.filter((e) => e.envelope.tenantId === tenantId && e.payload.event?.$case === 'memberChatRead');
    for (const read of reads) {
      expect(read.envelope.subjectId).toBe(eve.subjectId);
      expect(read.envelope.actor).toMatchObject({ id: admin.subjectId, role: 'admin' });
    }
    expect(reads.map((r) => r.payload.event!.value)).toEqual(expect.arrayContaining([
      { readerSubjectId: admin.subjectId, memberSubjectId: eve.subjectId, conversationId: '', messagesReturned: 0, reason: 'security_investigation', viaExport: false },
      { readerSubjectId: admin.subjectId, memberSubjectId: eve.subjectId, conversationId: conversation, messagesReturned: 2, reason: 'security_investigation', viaExport: false },
    ]));

    const member = kit.mint({ tenantId, role: 'member' });
    expect((await kit.request('GET', `${base}?reason=member_request`, { token: member.token })).status).toBe(403);
    const otherAdmin = kit.mint({ tenantId: kit.newTenant({ messageLogging: true }), role: 'admin' });
    expect((await kit.request('GET', `${base}?reason=member_request`, { token: otherAdmin.token })).status).toBe(404);
    expect((await kit.request('GET', `${base}/${randomUUID()}/messages?reason=member_request`, { token: admin.token })).status).toBe(404);
    expect((await kit.request('GET', `${base}/not-an-id/messages?reason=member_request`, { token: admin.token })).status).toBe(400);
  });

  it('never shows an admin the messages (or the title) written while logging was off, even after it is switched on', async () => {
    const tenantId = kit.newTenant();
    const admin = kit.mint({ tenantId, role: 'admin' });
    const kim = kit.mint({ tenantId, role: 'member' });
    const conversation = await kit.newConversation(kim.token, 'Kim topic');
    expect((await kit.chat(kim.token, conversation, 'said while nobody logged')).status).toBe(200);
    await switchLogging(tenantId, true);
    expect((await kit.chat(kim.token, conversation, 'said while logged')).status).toBe(200);

    const stored = await raw('messages').find({ tenantId, conversationId: conversation }).sort({ createdAt: 1 }).toArray();
    expect(stored.map((m) => m.logged)).toEqual([false, false, true, true]);
    const read = await kit.request('GET', `/v1/tenants/${tenantId}/members/${kim.subjectId}/conversations/${conversation}/messages?reason=compliance_audit`, { token: admin.token });
    expect(read.status).toBe(200);
    const shown = json<{ messages: Array<{ role: string; content: string }> }>(read).messages;
    expect(shown).toHaveLength(2);
    expect(shown[0]).toMatchObject({ role: 'user', content: 'said while logged' });
    expect(read.text).not.toContain('nobody logged');
    expect(json<{ title: string }>(read).title).toBe('');
    const list = await kit.request('GET', `/v1/tenants/${tenantId}/members/${kim.subjectId}/conversations?reason=compliance_audit`, { token: admin.token });
    expect(json<{ conversations: Array<{ id: string; title: string }> }>(list).conversations).toEqual([expect.objectContaining({ id: conversation, title: '' })]);
    expect((await raw('conversations').findOne({ _id: conversation as never }))!.titleLogged).toBe(false);
    // The member's own read still holds everything.
    const own = await kit.request('GET', `/v1/conversations/${conversation}`, { token: kim.token });
    expect(json<{ messages: unknown[] }>(own).messages).toHaveLength(4);
  });

  it("ranks the reader against the member's current role: an admin gets 403 on another admin's or the owner's chats, the owner reads an admin's", async () => {
    const tenantId = kit.newTenant({ messageLogging: true });
    const owner = kit.mint({ tenantId, role: 'owner' });
    const adam = kit.mint({ tenantId, role: 'admin' });
    const abby = kit.mint({ tenantId, role: 'admin' });
    const mia = kit.mint({ tenantId, role: 'member' });
    const conversations: Record<string, string> = {};
    for (const [who, person] of [['owner', owner], ['abby', abby], ['mia', mia]] as const) {
      conversations[who] = await kit.newConversation(person.token, `${who} topic`);
      expect((await kit.chat(person.token, conversations[who]!, `${who} asks`)).status).toBe(200);
    }
    const routes = (subjectId: string, conversationId: string) => [
      `/v1/tenants/${tenantId}/members/${subjectId}/conversations?reason=security_investigation`,
      `/v1/tenants/${tenantId}/members/${subjectId}/conversations/${conversationId}/messages?reason=security_investigation`,
    ];
    for (const path of [...routes(abby.subjectId, conversations.abby!), ...routes(owner.subjectId, conversations.owner!)]) {
      const refused = await kit.request('GET', path, { token: adam.token });
      expect({ path, status: refused.status, error: json<{ error: string }>(refused).error }).toEqual({ path, status: 403, error: 'rank_too_low' });
      expect(refused.text).not.toMatch(/abby asks|owner asks|topic/);
    }
    for (const path of routes(mia.subjectId, conversations.mia!)) expect((await kit.request('GET', path, { token: adam.token })).status).toBe(200);
    for (const path of routes(abby.subjectId, conversations.abby!)) expect((await kit.request('GET', path, { token: owner.token })).status).toBe(200);

    // Demoted since the session was issued: the directory's role counts, not the token's.
    kit.peers.roles.set(`${tenantId}/${adam.subjectId}`, 'member');
    const demoted = await kit.request('GET', routes(mia.subjectId, conversations.mia!)[0]!, { token: adam.token });
    expect({ status: demoted.status, error: json<{ error: string }>(demoted).error }).toEqual({ status: 403, error: 'forbidden' });
    // Someone no longer a member: only the owner reads their chats.
    kit.peers.roles.delete(`${tenantId}/${mia.subjectId}`);
    expect((await kit.request('GET', routes(mia.subjectId, conversations.mia!)[0]!, { token: abby.token })).status).toBe(403);
    expect((await kit.request('GET', routes(mia.subjectId, conversations.mia!)[0]!, { token: owner.token })).status).toBe(200);
  });
});

describe('purge (SubjectPurgeRequested)', () => {
  it('deletes everything of the person (Mongo rows, Redis keys) and confirms once under redelivery', async () => {
    const tenantId = kit.newTenant();
    const fay = kit.mint({ tenantId, role: 'member' });
    const gus = kit.mint({ tenantId, role: 'member' });
    const conversation = await kit.newConversation(fay.token, 'Fay');
    expect((await kit.chat(fay.token, conversation, 'fay words')).status).toBe(200);
    const gusConversation = await kit.newConversation(gus.token, 'Gus');
    await publishAudit(tenantId, fay.subjectId, { $case: 'processingRestricted', value: { subjectId: fay.subjectId, requestId: 'r3', kind: 'restriction' } });
    await waitFor(async () => (await raw('privacy_states').countDocuments({ tenantId, subjectId: fay.subjectId })) === 1, { timeoutMs: 30_000, description: 'the row' });
    const redisKeys = () => kit.redis.keys(`enclave:rl:${tenantId}:${fay.subjectId}:*`);
    expect((await redisKeys()).length).toBeGreaterThan(0);

    const requestId = randomUUID();
    const purge = { $case: 'subjectPurgeRequested' as const, value: { requestId, subjectId: fay.subjectId } };
    await publishAudit(tenantId, fay.subjectId, purge);
    await publishAudit(tenantId, fay.subjectId, purge); // a second delivery of the request (new event id)
    await waitFor(async () => (await raw('events').countDocuments({ streamId: `subject-purge:${requestId}` })) === 1, { timeoutMs: 30_000, description: 'the confirmation' });

    expect(await raw('conversations').countDocuments({ tenantId, subjectId: fay.subjectId })).toBe(0);
    expect(await raw('messages').countDocuments({ tenantId, subjectId: fay.subjectId })).toBe(0);
    expect(await raw('privacy_states').countDocuments({ tenantId, subjectId: fay.subjectId })).toBe(0);
    expect(await redisKeys()).toEqual([]);
    expect(await raw('conversations').countDocuments({ _id: gusConversation as never })).toBe(1);

    // Redelivery straight into the handler: purges again (nothing left), never confirms twice.
    const again = await kit.runtime.privacy.purge.execute({ tenantId: toTenantId(tenantId), subjectId: fay.subjectId, requestId });
    expect(again).toBe(0);
    expect(await raw('events').countDocuments({ streamId: `subject-purge:${requestId}` })).toBe(1);
    await waitFor(() => collector.received.some((e) => e.payload.event?.$case === 'subjectDataPurged' && e.payload.event.value.requestId === requestId), {
      timeoutMs: 30_000, description: 'SubjectDataPurged on the topic',
    });
    const confirmation = collector.received.filter((e) => e.payload.event?.$case === 'subjectDataPurged' && e.payload.event.value.requestId === requestId);
    expect(confirmation).toHaveLength(1);
    expect(confirmation[0]!.envelope).toMatchObject({ subjectId: fay.subjectId, actor: { kind: eventsV1.ActorKind.ACTOR_KIND_SERVICE, id: 'chat-gateway' } });
    expect(confirmation[0]!.payload.event!.value).toMatchObject({ subjectId: fay.subjectId });
    expect(Number((confirmation[0]!.payload.event!.value as { recordsDeleted: number }).recordsDeleted)).toBeGreaterThanOrEqual(4);

    // The erased person cannot start storing again.
    expect((await kit.request('POST', '/v1/conversations', { token: fay.token, body: {} })).status).toBe(403);
  });
});

/** The tenant switches message logging; the gateway's cache learns it as from SettingsChanged. */
async function switchLogging(tenantId: string, on: boolean): Promise<void> {
  const entry = kit.peers.settings.get(tenantId)!;
  entry.version += 1;
  entry.settings = { ...entry.settings, messageLogging: on, messageLoggingNoticeVersion: on ? 'v1' : '' };
  kit.runtime.settings.invalidate(tenantId);
  await waitFor(async () => (await kit.runtime.settings.get(tenantId)).messageLogging === on, { timeoutMs: 10_000, description: 'logging switched' });
}

describe('ExportSubjectData (gRPC)', () => {
  it('gives audit the person\'s conversations opened and their privacy state; refuses other callers', async () => {
    const tenantId = kit.newTenant();
    const hal = kit.mint({ tenantId, role: 'member' });
    const conversation = await kit.newConversation(hal.token, 'Hal export');
    expect((await kit.chat(hal.token, conversation, 'hal question')).status).toBe(200);
    const address = `127.0.0.1:${kit.runtime.privacy.grpcPort}`;
    const asAudit = createGrpcClient(privacyV1.SubjectDataServiceClient, address, { identity: loadServiceIdentity('audit', audit.privateKey), audience: 'chat-gateway', defaultDeadlineMs: 5000 });
    const asBilling = createGrpcClient(privacyV1.SubjectDataServiceClient, address, { identity: loadServiceIdentity('billing', billing.privateKey), audience: 'chat-gateway', defaultDeadlineMs: 5000 });
    try {
      const answer = await asAudit.call('exportSubjectData', { tenantId, subjectId: hal.subjectId });
      expect(answer.service).toBe('chat-gateway');
      const doc = JSON.parse(answer.documentJson);
      expect(doc).toMatchObject({ service: 'chat-gateway', tenantId, subjectId: hal.subjectId, privacyState: { frozen: false, restricted: false }, virtualKeysCreated: [] });
      expect(doc.conversations).toHaveLength(1);
      expect(doc.conversations[0]).toMatchObject({ id: conversation, title: 'Hal export' });
      expect(doc.conversations[0].messages[0]).toMatchObject({ role: 'user', content: 'hal question' });
      expect(answer.documentJson).not.toContain('pf1.');

      await expect(asBilling.call('exportSubjectData', { tenantId, subjectId: hal.subjectId })).rejects.toMatchObject({ code: GrpcStatus.PERMISSION_DENIED });
      const bad = await asAudit.call('exportSubjectData', { tenantId: '', subjectId: hal.subjectId }).catch((e: unknown) => e);
      expect(bad).toBeInstanceOf(GrpcError);
      expect((bad as GrpcError).code).toBe(GrpcStatus.INVALID_ARGUMENT);
    } finally {
      asAudit.close();
      asBilling.close();
    }
  });
});

describe('ExportSubjectData for an owner or admin (admin-read policy)', () => {
  it('withholds message text and titles unless the policy allows, then gives only logged messages and records the read', async () => {
    const tenantId = kit.newTenant();
    const admin = kit.mint({ tenantId, role: 'admin' });
    const lea = kit.mint({ tenantId, role: 'member' });
    const conversation = await kit.newConversation(lea.token, 'Lea private topic');
    expect((await kit.chat(lea.token, conversation, 'lea unlogged words')).status).toBe(200);
    const asAudit = createGrpcClient(privacyV1.SubjectDataServiceClient, `127.0.0.1:${kit.runtime.privacy.grpcPort}`, {
      identity: loadServiceIdentity('audit', audit.privateKey), audience: 'chat-gateway', defaultDeadlineMs: 5000,
    });
    const adminReader = { subjectId: admin.subjectId, role: 'admin', reason: 'legal_obligation' };
    const exportFor = async (reader?: typeof adminReader) =>
      JSON.parse((await asAudit.call('exportSubjectData', { tenantId, subjectId: lea.subjectId, ...(reader && { adminReader: reader }) })).documentJson);
    const readsOf = () => collector.received.filter((e) => e.envelope.tenantId === tenantId && e.payload.event?.$case === 'memberChatRead');
    try {
      const off = await exportFor(adminReader);
      expect(off.adminRead).toEqual({ allowed: false, refusal: 'message_logging_off', messagesReturned: 0 });
      expect(off.conversations).toEqual([{ id: conversation, title: '', createdAt: expect.any(String), updatedAt: expect.any(String), messages: [] }]);
      expect(JSON.stringify(off)).not.toContain('unlogged');
      expect(JSON.stringify(off)).not.toContain('Lea private');

      await switchLogging(tenantId, true);
      expect((await kit.chat(lea.token, conversation, 'lea logged words')).status).toBe(200);
      const on = await exportFor(adminReader);
      expect(on.adminRead).toEqual({ allowed: true, refusal: null, messagesReturned: 2 });
      expect(on.conversations[0].title).toBe(''); // written while logging was off
      expect(JSON.stringify(on)).not.toContain('Lea private');
      expect(on.conversations[0].messages.map((m: { content: string }) => m.content)[0]).toBe('lea logged words');
      expect(JSON.stringify(on)).not.toContain('unlogged');
      const read = await waitFor(() => readsOf()[0], { timeoutMs: 30_000, description: 'the export read recorded' });
      expect(read.envelope).toMatchObject({ subjectId: lea.subjectId, actor: { id: admin.subjectId, role: 'admin' } });
      expect(read.payload.event!.value).toEqual({
        readerSubjectId: admin.subjectId, memberSubjectId: lea.subjectId, conversationId: '', messagesReturned: 2, reason: 'legal_obligation', viaExport: true,
      });

      await publishAudit(tenantId, lea.subjectId, { $case: 'processingRestricted', value: { subjectId: lea.subjectId, requestId: 'r-lea', kind: 'restriction' } });
      // Waits on the replica's privacy state, not by exporting: an export allowed before the
      // restriction arrived would record one more admin read.
      await waitFor(() => kit.runtime.privacyRegistry.get(tenantId, lea.subjectId).restricted, { timeoutMs: 30_000, description: 'restricted' });
      expect((await exportFor(adminReader)).adminRead.refusal).toBe('processing_restricted');
      expect(JSON.stringify(await exportFor(adminReader))).not.toContain('lea logged');

      // The person's own export (no admin reader) still holds the whole history.
      const own = await exportFor();
      expect(own.adminRead).toBeUndefined();
      expect(own.conversations[0].messages.map((m: { content: string }) => m.content)).toEqual(expect.arrayContaining(['lea unlogged words', 'lea logged words']));
      expect(readsOf()).toHaveLength(1);

      for (const bad of [{ ...adminReader, role: 'member' }, { ...adminReader, reason: 'curiosity' }, { ...adminReader, subjectId: 'bad id' }]) {
        await expect(asAudit.call('exportSubjectData', { tenantId, subjectId: lea.subjectId, adminReader: bad })).rejects.toMatchObject({ code: GrpcStatus.INVALID_ARGUMENT });
      }
    } finally {
      asAudit.close();
    }
  });
});

describe('retention of conversations', () => {
  it('deletes conversations untouched longer than the tenant\'s period (injected time) and records RetentionPurged', async () => {
    const kept = kit.newTenant();
    const tenantId = kit.newTenant({ retentionDays: 30 });
    const ivy = kit.mint({ tenantId, role: 'member' });
    const keeper = kit.mint({ tenantId: kept, role: 'member' });
    const old = await kit.newConversation(ivy.token, 'old');
    expect((await kit.chat(ivy.token, old, 'old words')).status).toBe(200);
    const forever = await kit.newConversation(keeper.token, 'forever');
    const now = Date.now();

    expect(await kit.runtime.privacy.retention.runOnce(now + 29 * DAY)).toEqual([]);
    expect(await raw('conversations').countDocuments({ _id: old as never })).toBe(1);

    const outcomes = await kit.runtime.privacy.retention.runOnce(now + 31 * DAY);
    expect(outcomes).toEqual([{ tenantId, cutoffMs: now + DAY, recordsDeleted: 3 }]);
    expect(await raw('conversations').countDocuments({ _id: old as never })).toBe(0);
    expect(await raw('messages').countDocuments({ conversationId: old })).toBe(0);
    expect(await raw('conversations').countDocuments({ _id: forever as never })).toBe(1);
    const events = await raw('events').find({ tenantId, type: 'chat-gateway.RetentionPurged' }).toArray();
    expect(events).toHaveLength(1);
    const payload = TOPICS.chatGateway.codec.decode(events[0]!.payload.buffer ?? events[0]!.payload);
    expect(payload.event).toEqual({ $case: 'retentionPurged', value: { dataClass: 'conversations', cutoffMs: now + DAY, recordsDeleted: 3 } });
  });

  it('skips the run while another replica holds the lock', async () => {
    await kit.redis.set('enclave:lock:chat-gateway:retention-conversations', 'other', 'PX', 5000);
    try {
      expect(await kit.runtime.privacy.retention.runOnce(Date.now())).toBeUndefined();
    } finally {
      await kit.redis.del('enclave:lock:chat-gateway:retention-conversations');
    }
  });
});
