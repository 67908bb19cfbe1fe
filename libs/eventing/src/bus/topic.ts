// The typed bus: a topic name bound to the one protobuf message type its envelopes carry, so a
// producer and a consumer of the same Topic<T> cannot disagree about the payload.

/** What ts-proto generates for every message (MessageFns<T>) satisfies this. */
export interface Codec<T> {
  encode(message: T): { finish(): Uint8Array };
  decode(bytes: Uint8Array): T;
}

export interface Topic<T> {
  readonly name: string;
  readonly codec: Codec<T>;
  /** Where messages this topic's consumers cannot handle are parked. */
  readonly dlq: string;
}

const TOPIC_NAME = /^[A-Za-z0-9._-]{1,200}$/;
const SERVICE_NAME = /^[a-z][a-z0-9-]{0,62}$/;

export function defineTopic<T>(name: string, codec: Codec<T>): Topic<T> {
  if (!TOPIC_NAME.test(name)) throw new TypeError(`invalid Kafka topic name: ${JSON.stringify(name)}`);
  return Object.freeze({ name, codec, dlq: dlqTopic(name) });
}

/** serviceTopic('tenant') → 'enclave.tenant.events.v1' (the service's event topic). */
export function serviceTopic(service: string, version = 1): string {
  if (!SERVICE_NAME.test(service)) throw new TypeError(`invalid service name: ${JSON.stringify(service)}`);
  if (!Number.isSafeInteger(version) || version < 1) throw new TypeError('topic version must be a positive integer');
  return `enclave.${service}.events.v${version}`;
}

/** The dead-letter topic of a topic: `<topic>.dlq`. */
export function dlqTopic(topic: string): string {
  return `${topic}.dlq`;
}
