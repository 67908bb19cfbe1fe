// First: every kafkajs client of the process stops spinning a 1 ms timer per idle connection.
import './bus/kafkajs-idle-loop-fix';

export { tenantId, isTenantId, InvalidTenantIdError, type TenantId } from './tenancy/tenant-id';
export { TenantScopeError } from './tenancy/tenant-scope-error';
export { scopeFilter } from './tenancy/tenant-scope';
export { TenantScopedRepository, type TenantFilter, type FindOptions } from './tenancy/tenant-scoped-repository';

export { EventStore, type EventStoreOptions, type AppendResult } from './store/event-store';
export { ConcurrencyError } from './store/concurrency-error';
export type { NewEvent, StoredEvent } from './store/stored-event';
export { buildEventDocuments, validateAppend } from './store/build-event-documents';

export { defineTopic, serviceTopic, dlqTopic, type Topic, type Codec } from './bus/topic';
export { ensureTopics } from './bus/ensure-topics';
export { subscribeWithRetry, isRetriableKafkaError } from './bus/subscribe-with-retry';
export {
  buildEnvelope,
  encodeEnvelope,
  decodeEnvelope,
  EnvelopeDecodeError,
  type EventEnvelope,
  type Actor,
  type EnvelopeMeta,
  type EnvelopeOptions,
  type DecodedEvent,
} from './bus/envelope';
export { toKafkaMessage, headersToStrings, EVENT_TYPE_HEADER, EVENT_ID_HEADER } from './bus/kafka-message';
export { FactPublisher, type FactPublisherOptions } from './bus/fact-publisher';
export { BoundedBatcher, PublisherSaturatedError, PublisherClosedError, type BoundedBatcherOptions } from './bus/bounded-batcher';
export { factEnvelope, type FactStream } from './bus/fact-envelope';

export { OutboxRelay, envelopeOf, type OutboxRelayOptions } from './relay/outbox-relay';

export { IdempotentConsumer, DEFAULT_MARKER_RETENTION_MS, type IdempotentConsumerOptions } from './consumer/idempotent-consumer';
export { PoisonError } from './consumer/poison-error';
export { BatchConsumer, type BatchConsumerOptions } from './consumer/batch-consumer';
export { ConsumerReadiness } from './consumer/consumer-readiness';
export { DLQ_HEADERS } from './consumer/dead-letter';
export type { ConsumedEvent, HandlerContext, EventHandler } from './consumer/consumed-event';

export { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './support/backoff';
export type { EventingLogger } from './support/logger';
