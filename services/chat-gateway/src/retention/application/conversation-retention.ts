import { tenantId as toTenantId } from '@enclave/eventing';
import type { Logger } from '@enclave/platform';
import type { ConversationRepository } from '../../conversations/infrastructure/conversation.repository';
import type { MessageRepository } from '../../conversations/infrastructure/message.repository';
import type { EventAppender } from '../../events/application/ports';
import { toNewEvent } from '../../events/infrastructure/event-encoding';
import type { Clock } from '../../shared/clock';
import type { TenantSettingsView } from '../../tenant-settings/application/tenant-settings-cache';

export const DAY_MS = 86_400_000;
const BATCH = 500;

export interface ConversationRetentionDeps {
  tenants: () => Promise<string[]>;
  settings: { get(tenantId: string): Promise<TenantSettingsView> };
  conversations: ConversationRepository;
  messages: MessageRepository;
  /** After deleting conversations: replicas' cached chat contexts of them are dropped. */
  forgetContexts: (tenant: string, conversationIds: readonly string[]) => Promise<void>;
  store: EventAppender;
  onAppended: () => void;
  /** One replica per run: a Redis lock; undefined when another replica holds it. */
  lock: { acquire(ttlMs: number): Promise<(() => Promise<void>) | undefined> };
  lockTtlMs: number;
  newId: () => string;
  clock: Clock;
  logger: Logger;
}

export interface RetentionOutcome {
  tenantId: string;
  cutoffMs: number;
  recordsDeleted: number;
}

/** The cutoff for a tenant's conversations, or undefined when they are kept until deleted. */
export function conversationCutoff(settings: Pick<TenantSettingsView, 'conversationRetentionDays'>, nowMs: number): number | undefined {
  const days = settings.conversationRetentionDays;
  return days > 0 ? nowMs - days * DAY_MS : undefined;
}

/**
 * Retention of `conversations`: per tenant with conversationDays > 0, deletes conversations (and
 * their messages) whose last activity is older than the period, and appends RetentionPurged
 * when anything went. runOnce(now) is the whole job (tests call it with their own time); the
 * runtime runs it every interval (a PeriodicJob) and whichever replica holds the lock does it.
 */
export class ConversationRetention {
  constructor(private readonly deps: ConversationRetentionDeps) {}

  /** undefined when another replica is running it. */
  async runOnce(nowMs: number): Promise<RetentionOutcome[] | undefined> {
    const release = await this.deps.lock.acquire(this.deps.lockTtlMs);
    if (!release) return undefined;
    try {
      const outcomes: RetentionOutcome[] = [];
      for (const tenant of await this.deps.tenants()) {
        const outcome = await this.purgeTenant(tenant, nowMs).catch((error: unknown) => {
          this.deps.logger.warn({ err: error, tenantId: tenant }, 'conversation retention failed for a tenant');
          return undefined;
        });
        if (outcome) outcomes.push(outcome);
      }
      return outcomes;
    } finally {
      await release().catch(() => undefined);
    }
  }

  private async purgeTenant(tenantId: string, nowMs: number): Promise<RetentionOutcome | undefined> {
    const cutoffMs = conversationCutoff(await this.deps.settings.get(tenantId), nowMs);
    if (cutoffMs === undefined) return undefined;
    const tenant = toTenantId(tenantId);
    const cutoff = new Date(cutoffMs);
    let recordsDeleted = 0;
    for (;;) {
      const stale = await this.deps.conversations.untouchedSince(tenant, cutoff, BATCH);
      if (stale.length === 0) break;
      const ids = stale.map((c) => c._id);
      recordsDeleted += await this.deps.messages.deleteOfConversations(tenant, ids);
      recordsDeleted += await this.deps.conversations.deleteByIds(tenant, ids, cutoff);
      await this.deps.forgetContexts(tenant, ids);
      if (stale.length < BATCH) break;
    }
    if (recordsDeleted === 0) return undefined;
    await this.deps.store.append(`retention-${this.deps.newId()}`, 0, [
      toNewEvent({ type: 'RetentionPurged', tenantId, dataClass: 'conversations', cutoffMs, recordsDeleted }),
    ]);
    this.deps.onAppended();
    return { tenantId, cutoffMs, recordsDeleted };
  }
}
