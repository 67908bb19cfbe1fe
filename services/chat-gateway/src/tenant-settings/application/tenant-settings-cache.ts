import type { Clock } from '../../shared/clock';
import { CoalescingLoader } from '../../shared/coalescing-loader';
import { LruTtlCache } from '../../shared/lru-ttl-cache';

/** What chat-gateway needs of a tenant's settings. */
export interface TenantSettingsView {
  /** Hidden instruction prepended to every conversation upstream; empty = none. */
  systemInstruction: string;
  defaultModel: string;
  allowedModels: string[];
  /** On: owners/admins may read members' conversations (each read is recorded as MemberChatRead). */
  messageLogging: boolean;
  /** Version of the logging notice members acknowledge; empty while logging is off. */
  messageLoggingNoticeVersion: string;
  /** Conversations untouched this many days are deleted by the retention job; 0 = kept. */
  conversationRetentionDays: number;
  /** Tenant stream version the settings reflect; newer replaces older, never the reverse. */
  version: number;
}

/** Where a miss is filled from (gRPC TenantService.GetTenantSettings). */
export interface TenantSettingsSource {
  fetch(tenantId: string): Promise<TenantSettingsView>;
}

export interface TenantSettingsCacheOptions {
  maxEntries: number;
  /** Safety net only: events keep entries fresh; the ttl bounds staleness if an event is lost. */
  ttlMs: number;
  clock: Clock;
}

/**
 * Tenant settings in memory, so a chat needs no call to the tenant service: filled on a miss
 * (one call per tenant however many chats miss at once), replaced by SettingsChanged events
 * (they carry the full settings) and dropped on InstanceCreated.
 */
export class TenantSettingsCache {
  private readonly loader: CoalescingLoader<string, TenantSettingsView>;

  constructor(
    private readonly source: TenantSettingsSource,
    options: TenantSettingsCacheOptions,
  ) {
    this.loader = new CoalescingLoader(new LruTtlCache(options));
  }

  get(tenantId: string): Promise<TenantSettingsView> {
    return this.loader.get(tenantId, (id) => this.source.fetch(id));
  }

  /** From a SettingsChanged event; an older version than the cached one is ignored. */
  applyChange(tenantId: string, settings: TenantSettingsView): void {
    const cached = this.loader.peek(tenantId);
    if (cached && cached.version > settings.version) return;
    this.loader.put(tenantId, settings);
  }

  /** The cached settings without loading them (undefined when not cached). */
  peek(tenantId: string): TenantSettingsView | undefined {
    return this.loader.peek(tenantId);
  }

  invalidate(tenantId: string): void {
    this.loader.invalidate(tenantId);
  }
}
