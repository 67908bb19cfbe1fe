import type { Connection } from 'mongoose';
import type { EventStore } from '@enclave/eventing';
import { uuidv7, type Logger } from '@enclave/platform';
import type { VirtualKeysConfig } from '../config';
import type { CredentialCache } from '../credentials/application/credential-cache';
import type { Meter } from '../metering/application/ports';
import { ApiAccess } from '../openai-api/application/api-access';
import { OpenAiRoutes } from '../openai-api/interface/openai-routes';
import type { PrivacyRegistry } from '../privacy/application/privacy-registry';
import type { Clock } from '../shared/clock';
import type { TenantSettingsCache } from '../tenant-settings/application/tenant-settings-cache';
import { IssueVirtualKey } from '../virtual-keys/application/issue-virtual-key';
import { LastUsedRecorder } from '../virtual-keys/application/last-used-recorder';
import { ListVirtualKeys } from '../virtual-keys/application/list-virtual-keys';
import { RevokeVirtualKey } from '../virtual-keys/application/revoke-virtual-key';
import { VerifiedKeyCache } from '../virtual-keys/application/verified-key-cache';
import { VirtualKeyHasher } from '../virtual-keys/infrastructure/key-hasher';
import { VirtualKeyRepository } from '../virtual-keys/infrastructure/virtual-key.repository';
import { virtualKeyModel } from '../virtual-keys/infrastructure/virtual-key.schema';
import type { VirtualKeysUseCases } from '../virtual-keys/interface/virtual-keys.controller';
import { RevokeMemberKeys } from '../virtual-keys/application/revoke-member-keys';

export interface OpenAiApiWiringDeps {
  config: VirtualKeysConfig & { pepper: Buffer };
  connection: Connection;
  store: EventStore;
  meter: Meter;
  settings: TenantSettingsCache;
  credentials: CredentialCache;
  chat: { fallbackModel: string; upstreamTimeoutMs: number };
  clock: Clock;
  logger: Logger;
  privacy: PrivacyRegistry;
  nudgeRelay: () => void;
}

/** Virtual keys and the OpenAI-compatible API, built once per process (see ChatGatewayRuntime). */
export class OpenAiApiWiring {
  readonly keyCache: VerifiedKeyCache;
  readonly useCases: NonNullable<VirtualKeysUseCases>;
  readonly routes: OpenAiRoutes;
  readonly lastUsed: LastUsedRecorder;
  /** Keys whose creator was removed or demoted below admin (tenant topic, see memberKeysHandler). */
  readonly revokeMemberKeys: RevokeMemberKeys;
  private readonly model;

  constructor(deps: OpenAiApiWiringDeps) {
    const { config, clock, logger } = deps;
    this.model = virtualKeyModel(deps.connection);
    const keys = new VirtualKeyRepository(this.model);
    const hasher = new VirtualKeyHasher(config.pepper);
    this.keyCache = new VerifiedKeyCache(keys, { ttlMs: config.cacheTtlMs, maxEntries: config.cacheMaxEntries, clock });
    this.useCases = {
      issue: new IssueVirtualKey({
        store: deps.store, keys, hasher, newId: uuidv7, clock, onAppended: deps.nudgeRelay, defaultRatePerMinute: config.defaultRatePerMinute,
      }),
      list: new ListVirtualKeys(keys),
      revoke: new RevokeVirtualKey({ store: deps.store, keys, cache: this.keyCache, clock, onAppended: deps.nudgeRelay }),
    };
    this.revokeMemberKeys = new RevokeMemberKeys(keys, this.useCases.revoke);
    this.lastUsed = new LastUsedRecorder(keys, logger.child({ component: 'key-last-used' }), clock);
    const access = new ApiAccess({
      keys: this.keyCache,
      hash: (key) => hasher.hash(key),
      settings: deps.settings,
      credentials: deps.credentials,
      meter: deps.meter,
      lastUsed: this.lastUsed,
      privacy: deps.privacy,
      logger: logger.child({ component: 'openai-api' }),
    });
    this.routes = new OpenAiRoutes({
      access,
      fallbackModel: deps.chat.fallbackModel,
      upstreamTimeoutMs: deps.chat.upstreamTimeoutMs,
      newId: uuidv7,
      logger: logger.child({ component: 'openai-api' }),
    });
  }

  async init(): Promise<void> {
    await this.model.createIndexes();
  }

  /** On shutdown, after the HTTP server closed: flush lastUsedAt writes. */
  async close(): Promise<void> {
    await this.lastUsed.close();
  }
}
