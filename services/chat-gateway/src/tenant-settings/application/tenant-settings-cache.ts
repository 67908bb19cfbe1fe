import type { Clock } from '../../shared/clock';
import { CoalescingLoader } from '../../shared/coalescing-loader';
import { LruTtlCache } from '../../shared/lru-ttl-cache';
import type { TenantSettingsSource, TenantSettingsView } from './ports';

export type { TenantSettingsSource, TenantSettingsView } from './ports';

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
