// Do chat-gateway's events reach Kafka (usage and refusals acknowledged before the member hears
// the outcome, the rest through the outbox), and do tenant and key-vault events refresh the
// in-memory caches of a running gateway?
import { buildEnvelope, defineTopic, encodeEnvelope, tenantId as toTenantId } from '@enclave/eventing';
import { eventsV1, TOPICS, type chatGatewayV1 } from '@enclave/proto';
import { waitFor } from '@enclave/testing';
import type { Producer } from 'kafkajs';
import { keyVaultTopic } from '../credentials/interface/key-vault-events';
import { ChatGatewayKit } from '../test-support/chat-gateway-test-kit.helper.spec';
import { factsDuring, refusalsOf, usageOf } from '../test-support/facts-during.helper.spec';
import { TopicCollector } from '../test-support/topic-collector.helper.spec';
import { tenantTopic } from '../tenant-settings/interface/tenant-events';

const chatTopic = defineTopic(TOPICS.chatGateway.name, TOPICS.chatGateway.codec);

let kit: ChatGatewayKit;
let collector: TopicCollector<chatGatewayV1.ChatGatewayEvent>;
let producer: Producer;

beforeAll(async () => {
  kit = await ChatGatewayKit.start({ kafka: true });
  await waitFor(() => kit.runtime.cacheEventsReady(), { timeoutMs: 30_000, description: 'the cache consumer to join' });
  collector = await TopicCollector.start(kit.kafka!, chatTopic);
  producer = kit.kafka!.producer();
  await producer.connect();
});

afterAll(async () => {
  await producer?.disconnect();
  await collector?.stop();
  await kit?.close();
});

const system = { kind: eventsV1.ActorKind.ACTOR_KIND_SERVICE, id: 'test', role: '' };

function eventsOf(tenantId: string) {
  return collector.received.filter((e) => e.envelope.tenantId === tenantId);
}

describe('events on enclave.chat-gateway.events.v1', () => {
  it('has UsageRecorded on Kafka the moment the member sees done, and ConversationCreated through the outbox, without message text', async () => {
    const tenantId = kit.newTenant();
    const { token, subjectId } = kit.mint({ tenantId, role: 'member' });
    const conversationId = await kit.newConversation(token, 'Private title 4471');
    const { result: res, facts } = await factsDuring(kit.kafka!, tenantId, () => kit.chat(token, conversationId, 'usage please 4471'));
    expect(res.status).toBe(200);
    expect(res.events.at(-1)?.event).toBe('done');

    const [usage, ...more] = usageOf(facts);
    expect(more).toEqual([]);
    expect(usage!.envelope).toMatchObject({ type: 'chat-gateway.UsageRecorded', tenantId, subjectId, streamId: `usage-${usage!.usage.requestId}`, streamVersion: 1 });
    expect(usage!.envelope.actor).toEqual({ kind: eventsV1.ActorKind.ACTOR_KIND_PERSON, id: subjectId, role: 'member' });
    const created = await waitFor(() => eventsOf(tenantId).find((e) => e.payload.event?.$case === 'conversationCreated'), {
      timeoutMs: 20_000,
      description: 'ConversationCreated on Kafka',
    });
    expect(created.envelope).toMatchObject({ type: 'chat-gateway.ConversationCreated', subjectId });
    expect({ $case: 'usageRecorded', value: usage!.usage }).toEqual({
      $case: 'usageRecorded',
      value: expect.objectContaining({
        conversationId,
        memberSubjectId: subjectId,
        model: 'gpt-4o-mini',
        promptTokens: 4,
        completionTokens: 6,
        outcome: 'ok',
        estimated: false,
      }),
    });
    const raw = JSON.stringify([...eventsOf(tenantId), ...facts].map((e) => Buffer.from(encodeEnvelope(e.envelope)).toString('latin1')));
    expect(raw).not.toContain('4471');
  });

  it('has ChatRefused on Kafka by the time the member is refused for an exhausted quota', async () => {
    const tenantId = kit.newTenant();
    const { token, subjectId } = kit.mint({ tenantId, role: 'member' });
    const conversationId = await kit.newConversation(token);
    await kit.redis.set(`enclave:quota-limit:${tenantId}`, '0');
    const { result, facts } = await factsDuring(kit.kafka!, tenantId, () => kit.chat(token, conversationId, 'refused'));
    expect(result.status).toBe(429);
    expect(refusalsOf(facts).map((f) => f.refusal)).toEqual([{ memberSubjectId: subjectId, reason: 'quota_exhausted', virtualKeyId: '' }]);
  });
});

describe('cache invalidation by events', () => {
  it('SettingsChanged replaces the cached system instruction without a tenant call', async () => {
    const tenantId = kit.newTenant({ systemInstruction: 'old instruction 1' });
    const { token } = kit.mint({ tenantId, role: 'member' });
    const conversationId = await kit.newConversation(token);
    await kit.chat(token, conversationId, 'warm the cache');
    const settings = { ...kit.peers.settings.get(tenantId)!.settings, systemInstruction: 'new instruction 2' };
    const envelope = buildEnvelope(tenantTopic, { event: { $case: 'settingsChanged', value: { settings } } }, {
      type: 'tenant.SettingsChanged', tenantId: toTenantId(tenantId), actor: system, streamId: `tenant-${tenantId}`, streamVersion: 4,
    });
    await producer.send({ topic: tenantTopic.name, messages: [{ key: tenantId, value: encodeEnvelope(envelope) }] });
    await waitFor(async () => (await kit.runtime.settings.get(tenantId)).systemInstruction === 'new instruction 2', {
      timeoutMs: 20_000,
      description: 'the settings cache to take the event',
    });
    await kit.chat(token, conversationId, 'after-change 9120');
    const sent = kit.upstream.requests().find((r) => JSON.stringify(r.body).includes('after-change 9120'));
    expect(sent?.body.messages[0]).toEqual({ role: 'system', content: 'new instruction 2' });
    expect(kit.peers.tenantCalls.filter((t) => t === tenantId)).toHaveLength(1);
  });

  it('ProviderKeyStored drops the cached credential, so the next chat asks key-vault again', async () => {
    const tenantId = kit.newTenant();
    const { token } = kit.mint({ tenantId, role: 'member' });
    const conversationId = await kit.newConversation(token);
    await kit.chat(token, conversationId, 'first');
    await kit.chat(token, conversationId, 'second');
    expect(kit.peers.keyVaultCalls.filter((t) => t === tenantId)).toHaveLength(1);
    const stored = { keyId: 'k2', keyVersion: 2, provider: 'openai', label: 'rotated', lastFour: '7781', fingerprint: 'f' };
    const envelope = buildEnvelope(keyVaultTopic, { event: { $case: 'providerKeyStored', value: stored } }, {
      type: 'key-vault.ProviderKeyStored', tenantId: toTenantId(tenantId), actor: system,
    });
    await producer.send({ topic: keyVaultTopic.name, messages: [{ key: tenantId, value: encodeEnvelope(envelope) }] });
    await waitFor(
      async () => {
        await kit.chat(token, conversationId, 'probe');
        return kit.peers.keyVaultCalls.filter((t) => t === tenantId).length === 2;
      },
      { timeoutMs: 20_000, intervalMs: 300, description: 'a fresh key-vault call after ProviderKeyStored' },
    );
  });
});
