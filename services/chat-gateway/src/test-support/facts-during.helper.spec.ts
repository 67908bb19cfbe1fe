// Test support (not a test): the chat-gateway facts that reached the topic while an action ran,
// read between the partition ends taken just before and just after it. A fact found here was
// acknowledged by the broker before the action returned (no waiting, no polling).
import { decodeEnvelope, defineTopic, type DecodedEvent } from '@enclave/eventing';
import { TOPICS, type chatGatewayV1 } from '@enclave/proto';
import { readTopicRange, topicEnds } from '@enclave/testing';
import type { Kafka } from 'kafkajs';

export const chatGatewayTopic = defineTopic(TOPICS.chatGateway.name, TOPICS.chatGateway.codec);
export type ChatFact = DecodedEvent<chatGatewayV1.ChatGatewayEvent>;

export async function factsDuring<T>(kafka: Kafka, tenantId: string, action: () => Promise<T>): Promise<{ result: T; facts: ChatFact[] }> {
  const before = await topicEnds(kafka, chatGatewayTopic.name);
  const result = await action();
  const after = await topicEnds(kafka, chatGatewayTopic.name);
  const messages = await readTopicRange(kafka, chatGatewayTopic.name, before, after);
  const facts = messages.map((m) => decodeEnvelope(chatGatewayTopic, m.value)).filter((f) => f.envelope.tenantId === tenantId);
  return { result, facts };
}

export function usageOf(facts: ChatFact[]) {
  return facts.flatMap((f) => (f.payload.event?.$case === 'usageRecorded' ? [{ envelope: f.envelope, usage: f.payload.event.value }] : []));
}

export function refusalsOf(facts: ChatFact[]) {
  return facts.flatMap((f) => (f.payload.event?.$case === 'chatRefused' ? [{ envelope: f.envelope, refusal: f.payload.event.value }] : []));
}

/** The facts of a tenant on the topic since `before` (a topicEnds snapshot), for outcomes no client waits for. */
export async function factsSince(kafka: Kafka, tenantId: string, before: Record<number, string>): Promise<ChatFact[]> {
  const after = await topicEnds(kafka, chatGatewayTopic.name);
  const messages = await readTopicRange(kafka, chatGatewayTopic.name, before, after);
  return messages.map((m) => decodeEnvelope(chatGatewayTopic, m.value)).filter((f) => f.envelope.tenantId === tenantId);
}
