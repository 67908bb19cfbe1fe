import type { Connection } from 'mongoose';
import type { Kafka } from 'kafkajs';
import type { Redis } from 'ioredis';
import { dlqTopic, ensureTopics, EventStore, FactPublisher, OutboxRelay, tenantId as toTenantId } from '@enclave/eventing';
import { TOPICS } from '@enclave/proto';
import { uuidv7, type BaseUrlPolicy, type Logger } from '@enclave/platform';
import { CacheEventConsumer } from '../cache-events/cache-event-consumer';
import { SendMessage } from '../chat/application/send-message';
import { CreateConversation } from '../conversations/application/create-conversation';
import { ReadConversations } from '../conversations/application/read-conversations';
import { ConversationRepository } from '../conversations/infrastructure/conversation.repository';
import { conversationModel } from '../conversations/infrastructure/conversation.schema';
import { MessageRepository } from '../conversations/infrastructure/message.repository';
import { RedisContextVersions } from '../conversations/infrastructure/redis-context-versions';
import { CachedChatHistory } from '../conversations/application/cached-chat-history';
import { messageModel } from '../conversations/infrastructure/message.schema';
import { CredentialCache, type CredentialSource, type ProviderClientFactory } from '../credentials/application/credential-cache';
import { keyVaultEventsSubscription } from '../credentials/interface/key-vault-events';
import type { ChatGatewayEvent } from '../events/domain/chat-gateway-event';
import { toNewEvent } from '../events/infrastructure/event-encoding';
import type { FactSink } from '../metering/application/ports';
import { UsageMeter } from '../metering/application/usage-meter';
import { RedisAdmissionGate } from '../metering/infrastructure/admission-script';
import { KafkaFactSink } from '../metering/infrastructure/kafka-fact-sink';
import { EgressClient } from '../egress/egress-client';
import { RawUpstream } from '../metering/infrastructure/raw-upstream';
import { StoreFactSink } from '../metering/infrastructure/store-fact-sink';
import { systemClock, type Clock } from '../shared/clock';
import { TenantSettingsCache, type TenantSettingsSource } from '../tenant-settings/application/tenant-settings-cache';
import { tenantEventsSubscription, tenantTopic } from '../tenant-settings/interface/tenant-events';
import type { VirtualKeysConfig } from '../config';
import { OpenAiRoutes } from '../openai-api/interface/openai-routes';
import { memberKeysHandler } from '../virtual-keys/interface/member-events';
import { virtualKeyEventsSubscription } from '../virtual-keys/interface/virtual-key-events';
import type { VirtualKeysUseCases } from '../virtual-keys/interface/virtual-keys.controller';
import { OpenAiApiWiring } from './openai-api-wiring';
import { PersonalFields, type MemberRoles, type SubjectKeySource } from '@enclave/privacy';
import { HistoryCipher } from '../conversations/application/history-cipher';
import { PrivacyRegistry } from '../privacy/application/privacy-registry';
import { auditCacheSubscription } from '../privacy/interface/audit-events';
import { PrivacyWiring, type PrivacyOptions } from './privacy-wiring';

export interface ChatGatewayRuntimeOptions {
  connection: Connection;
  redis: Redis;
  logger: Logger;
  settingsSource: TenantSettingsSource;
  credentialSource: CredentialSource;
  /** key-vault's SubjectKeyService: the keys message text and titles are sealed with. */
  subjectKeySource: SubjectKeySource;
  /** Tenant's MemberDirectoryService: current roles, so an admin read never reaches an equal or higher rank. */
  memberRoles: MemberRoles;
  /** How long a person's key stays in memory (default 10 min: one key-vault call per person per ttl). */
  subjectKeyTtlMs?: number;
  /** Which addresses provider connections may reach (ALLOW_*_BASE_URLS) and how long DNS answers are reused. */
  egress: { policy: BaseUrlPolicy; dnsTtlMs?: number };
  /** The provider endpoint built for a decrypted credential (default: RawUpstream through the egress client). */
  createProviderClient?: ProviderClientFactory;
  /** Outbox relay, usage publisher, cache-event consumer; absent when KAFKA_ENABLED=false. */
  kafka?: Kafka;
  chat: { upstreamTimeoutMs: number; fallbackModel: string; ratePerMinute: number; contextMessages: number };
  caches: { credentialTtlMs: number; credentialMaxEntries: number; settingsTtlMs: number; settingsMaxEntries: number };
  /** The usage publisher (USAGE_PUBLISH_*); defaults: 5 ms linger, 500 per batch, 10,000 pending, retry after 1 s. */
  usagePublish?: UsagePublishOptions;
  /** QUOTA_DEFAULT_MAX_TOKENS: completion tokens reserved for a request that sets no cap (default 4096). */
  defaultMaxCompletionTokens?: number;
  /** The OpenAI-compatible API and virtual keys; off (503) when absent or without a pepper. */
  virtualKeys?: VirtualKeysConfig;
  /** The per-replica chat-context cache (CONTEXT_CACHE_*); default 5 min, 16 MiB of stored text. */
  contextCache?: { ttlMs: number; maxBytes: number };
  /** gRPC SubjectDataService, the audit consumer's group, retention and privacy-row refresh. */
  privacy?: PrivacyOptions;
  clock?: Clock;
}

export interface UsagePublishOptions {
  lingerMs?: number;
  maxBatch?: number;
  maxPending?: number;
  retryAfterSec?: number;
}

export const CHAT_GATEWAY_TOPIC = TOPICS.chatGateway.name;

/**
 * chat-gateway wired once: event store (the outbox) and its relay, the usage publisher (metering
 * facts straight to Kafka, acknowledged before a client hears "complete"), the settings and credential caches with the consumer that keeps them fresh, the Redis quota
 * gate, history repositories and the use cases. Nest calls start()/stop() (chat-gateway-lifecycle).
 */
export class ChatGatewayRuntime {
  readonly store: EventStore;
  /** Metering facts: to Kafka through the bounded publisher, or to the store without Kafka. */
  readonly facts: FactSink;
  readonly factPublisher: FactPublisher | undefined;
  /** Reserve → settle → publish for both front doors (one admission script in Redis). */
  readonly meter: UsageMeter;
  readonly relay: OutboxRelay | undefined;
  readonly cacheConsumer: CacheEventConsumer | undefined;
  readonly settings: TenantSettingsCache;
  readonly credentials: CredentialCache;
  /** The one HTTP client of every provider call (policy-checked, pinned, keep-alive). */
  readonly egress: EgressClient;
  readonly createConversation: CreateConversation;
  readonly readConversations: ReadConversations;
  readonly sendMessage: SendMessage;
  /** Virtual keys + OpenAI-compatible API; undefined when VIRTUAL_KEY_PEPPER is not set. */
  readonly openAi: OpenAiApiWiring | undefined;
  readonly openAiRoutes: OpenAiRoutes;
  readonly virtualKeyUseCases: VirtualKeysUseCases;
  readonly openAiBodyLimitBytes: number;
  /** Frozen / restricted people, in memory (fed by audit's topic and the persisted rows). */
  readonly privacyRegistry = new PrivacyRegistry();
  readonly cipher: HistoryCipher;
  readonly privacy: PrivacyWiring;
  private readonly conversationsModel;
  private readonly messagesModel;

  constructor(private readonly options: ChatGatewayRuntimeOptions) {
    const { connection, logger } = options;
    const clock = options.clock ?? systemClock;
    this.store = new EventStore(connection);
    if (options.kafka) {
      this.relay = new OutboxRelay({ kafka: options.kafka, store: this.store, topic: CHAT_GATEWAY_TOPIC, logger: logger.child({ component: 'outbox-relay' }) });
    }
    const publish = options.usagePublish ?? {};
    if (options.kafka) {
      this.factPublisher = new FactPublisher({ kafka: options.kafka, ...publish, logger: logger.child({ component: 'usage-publisher' }) });
      this.facts = new KafkaFactSink(this.factPublisher, logger.child({ component: 'usage-publisher' }), publish.retryAfterSec);
    } else {
      this.facts = new StoreFactSink(this.store, logger.child({ component: 'usage-store' }));
    }
    this.meter = new UsageMeter({
      gate: new RedisAdmissionGate(options.redis),
      facts: this.facts,
      clock,
      logger: logger.child({ component: 'usage-meter' }),
      defaultMaxCompletionTokens: options.defaultMaxCompletionTokens ?? 4096,
    });
    this.settings = new TenantSettingsCache(options.settingsSource, {
      maxEntries: options.caches.settingsMaxEntries,
      ttlMs: options.caches.settingsTtlMs,
      clock,
    });
    this.egress = new EgressClient({
      policy: options.egress.policy,
      dns: { ttlMs: options.egress.dnsTtlMs ?? 30_000 },
      onRefused: (reason) => logger.warn({ reason }, 'provider connection refused by the egress policy'),
    });
    // One provider endpoint per (tenant, key version), relaying for both front doors.
    this.credentials = new CredentialCache(options.credentialSource, options.createProviderClient ?? ((credential) => new RawUpstream(credential, this.egress)), {
      maxEntries: options.caches.credentialMaxEntries,
      ttlMs: options.caches.credentialTtlMs,
      clock,
    });
    this.cipher = new HistoryCipher(new PersonalFields(options.subjectKeySource, { now: clock, ttlMs: options.subjectKeyTtlMs ?? 600_000 }));
    const pepper = options.virtualKeys?.pepper;
    this.openAi = options.virtualKeys && pepper
      ? new OpenAiApiWiring({
        config: { ...options.virtualKeys, pepper },
        connection, store: this.store, meter: this.meter, settings: this.settings, credentials: this.credentials,
        chat: options.chat, clock, logger, privacy: this.privacyRegistry, nudgeRelay: () => this.relay?.nudge(),
      })
      : undefined;
    if (!this.openAi) logger.warn('VIRTUAL_KEY_PEPPER is not set: virtual keys and the OpenAI-compatible API answer 503');
    this.openAiRoutes = this.openAi?.routes ?? new OpenAiRoutes(null);
    this.virtualKeyUseCases = this.openAi?.useCases ?? null;
    this.openAiBodyLimitBytes = options.virtualKeys?.bodyLimitBytes ?? 4 * 1024 * 1024;
    if (options.kafka) {
      this.cacheConsumer = new CacheEventConsumer({
        kafka: options.kafka,
        groupPrefix: 'chat-gateway-cache',
        subscriptions: [
          tenantEventsSubscription(this.settings),
          keyVaultEventsSubscription(this.credentials, { markShredded: (t, s) => this.cipher.markShredded(t, s) }),
          auditCacheSubscription(this.privacyRegistry, (t, s) => this.cipher.markShredded(t, s)),
          ...(this.openAi ? [virtualKeyEventsSubscription(this.openAi.keyCache)] : []),
        ] as never,
        logger: logger.child({ component: 'cache-events' }),
      });
    }

    this.conversationsModel = conversationModel(connection);
    this.messagesModel = messageModel(connection);
    // Each title and message is stamped with whether the tenant logged messages when it was written.
    const loggingOf = (tenant: string) => this.settings.get(tenant).then((s) => s.messageLogging);
    const conversations = new ConversationRepository(this.conversationsModel, loggingOf);
    const messages = new MessageRepository(this.messagesModel, loggingOf);
    this.createConversation = new CreateConversation({
      store: this.store, conversations, privacy: this.privacyRegistry, cipher: this.cipher, clock, newId: uuidv7, onAppended: () => this.relay?.nudge(),
    });
    this.readConversations = new ReadConversations(conversations, messages, this.cipher, this.privacyRegistry);
    // A chat reads its conversation's context from memory while its Redis version holds.
    const history = new CachedChatHistory(conversations, messages, new RedisContextVersions(options.redis), { ttlMs: 300_000, maxBytes: 16 * 1024 * 1024, ...options.contextCache, clock });
    this.sendMessage = new SendMessage({
      conversations: history,
      messages: history,
      settings: this.settings,
      credentials: this.credentials,
      privacy: this.privacyRegistry,
      cipher: this.cipher,
      meter: this.meter,
      clock,
      newId: uuidv7,
      logger: logger.child({ component: 'chat' }),
      config: options.chat,
    });
    this.privacy = new PrivacyWiring({
      connection, redis: options.redis, ...(options.kafka && { kafka: options.kafka }), store: this.store,
      record: (event) => this.appendFact(event), settings: this.settings,
      conversations, messages, forgetContexts: (tenant, ids) => history.forget(toTenantId(tenant), ids), reader: this.readConversations, cipher: this.cipher, registry: this.privacyRegistry,
      memberRoles: options.memberRoles, clock, logger, nudgeRelay: () => this.relay?.nudge(), options: options.privacy ?? {},
    });
    // A removed or demoted creator's virtual keys end: tenant events on the service's shared consumer group.
    if (this.openAi) this.privacy.consumer?.on(tenantTopic, memberKeysHandler(this.openAi.revokeMemberKeys));
  }

  async start(): Promise<void> {
    await Promise.all([this.store.init(), this.conversationsModel.createIndexes(), this.messagesModel.createIndexes(), this.openAi?.init()]);
    const kafka = this.options.kafka;
    if (kafka) {
      await ensureTopics(kafka, [CHAT_GATEWAY_TOPIC, dlqTopic(CHAT_GATEWAY_TOPIC), TOPICS.tenant.name, TOPICS.keyVault.name, TOPICS.audit.name]);
      await this.relay?.start();
      await this.factPublisher?.start();
      await this.cacheConsumer?.start();
    }
    // After this replica's audit cache consumer started: the rows cover what happened before it.
    await this.privacy.start();
  }

  /** After the HTTP server closed: flush lastUsedAt writes and the usage publisher, let the relay publish, stop consuming. */
  async stop(): Promise<void> {
    await this.privacy.stop();
    await this.openAi?.close();
    await this.factPublisher?.stop();
    if (this.relay) {
      await this.drainOutbox();
      await this.relay.stop();
    }
    await this.cacheConsumer?.stop();
    this.egress.close();
  }

  /** Gives the relay up to ~2 s to publish what is in the outbox; leftovers go out with any replica's relay. */
  private async drainOutbox(): Promise<void> {
    for (let i = 0; i < 20; i += 1) {
      const left = await this.store.unpublished(1).catch(() => []);
      if (left.length === 0) return;
      this.relay?.nudge();
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** A low-rate fact with no aggregate (e.g. MemberChatRead), durable in the outbox before the caller answers. */
  private async appendFact(event: ChatGatewayEvent): Promise<void> {
    await this.store.append(`chat-facts-${uuidv7()}`, 0, [toNewEvent(event)]);
    this.relay?.nudge();
  }

  async databaseReady(): Promise<boolean> {
    const db = this.options.connection.db;
    if (!db) return false;
    await db.admin().ping();
    return true;
  }

  async redisReady(): Promise<boolean> {
    return (await this.options.redis.ping()) === 'PONG';
  }

  /** Without Kafka the caches still work (ttl-bounded); with it, ready once events flow. */
  cacheEventsReady(): boolean {
    return this.cacheConsumer ? this.cacheConsumer.ready : true;
  }
}
