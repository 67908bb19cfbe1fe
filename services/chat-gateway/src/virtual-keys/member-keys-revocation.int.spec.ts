// When the tenant removes an admin, or demotes one below admin, do the virtual keys that person
// created stop answering (revoked, recorded as VirtualKeyRevoked) while other admins' keys keep
// working? Real Kafka (the tenant topic, the gateway's shared consumer group) and FerretDB.
import { buildEnvelope, defineTopic, tenantId as checkedTenantId, toKafkaMessage } from '@enclave/eventing';
import { eventsV1, TOPICS, type tenantV1 } from '@enclave/proto';
import { waitFor } from '@enclave/testing';
import type { Producer } from 'kafkajs';
import { OpenAiApiKit } from '../openai-api/test-support/openai-api-kit.helper.spec';

jest.setTimeout(90_000);

let kit: OpenAiApiKit;
let producer: Producer;
const tenantTopic = defineTopic(TOPICS.tenant.name, TOPICS.tenant.codec);

beforeAll(async () => {
  kit = await OpenAiApiKit.start({ kafka: true });
  producer = kit.kafka!.producer();
  await producer.connect();
});

afterAll(async () => {
  await producer?.disconnect();
  await kit?.close();
});

/** A tenant event as tenant's relay publishes it, caused by the tenant's owner. */
async function tenantEvent(tenantId: string, ownerId: string, payload: tenantV1.TenantEvent): Promise<void> {
  const envelope = buildEnvelope(tenantTopic, payload, {
    type: `tenant.${payload.event!.$case}`,
    tenantId: checkedTenantId(tenantId),
    actor: { kind: eventsV1.ActorKind.ACTOR_KIND_PERSON, id: ownerId, role: 'owner' },
    streamId: `tenant-${tenantId}`,
    streamVersion: Date.now(),
  });
  await producer.send({ topic: tenantTopic.name, acks: -1, messages: [toKafkaMessage(envelope)] });
}

async function keyOf(tenantId: string, token: string): Promise<{ key: string; id: string }> {
  const res = await kit.request('POST', `/v1/tenants/${tenantId}/virtual-keys`, { token, body: { label: 'k' } });
  expect(res.status).toBe(201);
  return { key: res.json.key, id: res.json.virtualKey.id };
}

const answers = async (key: string) => (await kit.request('GET', '/v1/models', { token: key })).status;

/**
 * Sends the fact until the creator's keys are refused: the consumer group starts at the topic's
 * end once it has joined, so an event sent before that is not its to read (each resend is a new
 * event; revoking is idempotent).
 */
async function untilRefused(send: () => Promise<void>, key: string, description: string): Promise<void> {
  await waitFor(
    async () => {
      if ((await answers(key)) === 401) return true;
      await send();
      return false;
    },
    { timeoutMs: 60_000, intervalMs: 1000, description },
  );
}

it('revokes every key a removed admin created, and no one else\'s', async () => {
  const tenantId = kit.newTenant();
  const owner = kit.mint({ tenantId, role: 'owner' });
  const removed = kit.mint({ tenantId, role: 'admin' });
  const other = kit.mint({ tenantId, role: 'admin' });
  const [first, second, kept] = [await keyOf(tenantId, removed.token), await keyOf(tenantId, removed.token), await keyOf(tenantId, other.token)];
  expect(await answers(first.key)).toBe(200);

  const removal = () => tenantEvent(tenantId, owner.subjectId, { event: { $case: 'memberRemoved', value: { subjectId: removed.subjectId } } });
  await untilRefused(removal, first.key, 'the removed admin\'s key to be refused');
  await waitFor(async () => (await answers(second.key)) === 401, { timeoutMs: 10_000, description: 'their second key to be refused' });
  expect(await answers(kept.key)).toBe(200);

  const listed = await kit.request('GET', `/v1/tenants/${tenantId}/virtual-keys`, { token: other.token });
  expect(listed.json.virtualKeys.map((k: { id: string }) => k.id)).toEqual([kept.id]);
  const revoked = await kit.main.runtime.store.readStream(`virtual-key-${first.id}-revoked`, { tenantId: checkedTenantId(tenantId) });
  expect(revoked.map((e) => e.type)).toEqual(['chat-gateway.VirtualKeyRevoked']);
  expect(revoked[0]!.actor).toMatchObject({ id: owner.subjectId, role: 'owner' });
});

it('revokes the keys of an admin demoted to member, and keeps those of an admin whose role stays admin', async () => {
  const tenantId = kit.newTenant();
  const owner = kit.mint({ tenantId, role: 'owner' });
  const demoted = kit.mint({ tenantId, role: 'admin' });
  const stays = kit.mint({ tenantId, role: 'admin' });
  const [lost, kept] = [await keyOf(tenantId, demoted.token), await keyOf(tenantId, stays.token)];

  await tenantEvent(tenantId, owner.subjectId, { event: { $case: 'memberRoleChanged', value: { subjectId: stays.subjectId, role: 'admin' } } });
  const demotion = () => tenantEvent(tenantId, owner.subjectId, { event: { $case: 'memberRoleChanged', value: { subjectId: demoted.subjectId, role: 'member' } } });
  await untilRefused(demotion, lost.key, 'the demoted admin\'s key to be refused');
  expect(await answers(kept.key)).toBe(200);
});
