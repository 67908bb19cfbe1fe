// Every service topic of the typed bus (audit's own included), with the service that owns it.
// `suffix` exists only so integration tests can run on topics of their own.
import { ALL_TOPICS } from '@enclave/proto';
import { defineTopic, type Topic } from '@enclave/eventing';

export interface AuditedTopic {
  topic: Topic<unknown>;
  /** The service that owns (produces) the topic. */
  service: string;
}

export function auditedTopics(suffix = ''): AuditedTopic[] {
  return ALL_TOPICS.map((spec) => ({ topic: defineTopic(spec.name + suffix, spec.codec), service: spec.service }));
}

/** audit's own topic, where its event store is relayed. */
export function auditTopicName(suffix = ''): string {
  const own = ALL_TOPICS.find((spec) => spec.service === 'audit');
  if (!own) throw new Error('the typed bus has no audit topic');
  return own.name + suffix;
}
