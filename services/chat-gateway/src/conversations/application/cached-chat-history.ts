import type { TenantId } from '@enclave/eventing';
import type { Clock } from '../../shared/clock';
import type { ContextVersions } from './context-versions';
import type { ConversationStore, MessageStore } from './ports';

type Conversation = NonNullable<Awaited<ReturnType<ConversationStore['findOwned']>>>;
type Message = Awaited<ReturnType<MessageStore['recent']>>[number];
type NewMessage = Parameters<MessageStore['add']>[1];

export interface CachedChatHistoryOptions {
  /** How long a replica keeps a conversation's context without a chat in it. */
  ttlMs: number;
  /** Upper bound on the stored (sealed) text held, all conversations together. */
  maxBytes: number;
  clock: Clock;
}

interface Entry {
  version: string;
  expiresAtMs: number;
  conversation?: Conversation;
  /** The last `limit` messages, oldest first (sealed, as stored). */
  recent?: { limit: number; messages: Message[] };
  bytes: number;
}

/**
 * What a chat reads before calling the provider — that the member owns the conversation, and its
 * last messages — kept per replica, so a chat in a long conversation does not wait for the
 * database. Each entry is valid under the conversation's shared version (ContextVersions, one
 * Redis GET per chat, shared by the two reads of one chat); every write raises the version, and
 * the replica that wrote updates its own entry in place when nobody else wrote in between.
 *
 * Only what is stored is cached: sealed text (opening needs the person's key, gone once erased)
 * and a conversation the member was found to own (a miss is never cached). Bounded by bytes of
 * stored text and by a ttl; the least recently used entries go first.
 */
export class CachedChatHistory implements ConversationStore, MessageStore {
  private readonly entries = new Map<string, Entry>();
  private readonly versionReads = new Map<string, Promise<string>>();
  private bytes = 0;

  constructor(
    private readonly conversations: ConversationStore,
    private readonly messages: MessageStore,
    private readonly versions: ContextVersions,
    private readonly options: CachedChatHistoryOptions,
  ) {}

  async findOwned(tenant: TenantId, subjectId: string, id: string): Promise<Conversation | null> {
    const k = keyOf(tenant, subjectId, id);
    const version = await this.versionOf(tenant, id);
    const entry = this.valid(k, version);
    if (entry?.conversation) return entry.conversation;
    const found = await this.conversations.findOwned(tenant, subjectId, id);
    if (found) this.store(k, version, (e) => (e.conversation = found));
    return found;
  }

  async recent(tenant: TenantId, subjectId: string, conversationId: string, count: number): Promise<Message[]> {
    if (count <= 0) return [];
    const k = keyOf(tenant, subjectId, conversationId);
    const version = await this.versionOf(tenant, conversationId);
    const cached = this.valid(k, version)?.recent;
    if (cached && cached.limit >= count) return cached.messages.slice(-count);
    const messages = await this.messages.recent(tenant, subjectId, conversationId, count);
    this.store(k, version, (e) => (e.recent = { limit: count, messages }));
    return messages;
  }

  async add(tenant: TenantId, doc: NewMessage): Promise<void> {
    await this.messages.add(tenant, doc);
    const k = keyOf(tenant, doc.subjectId, doc.conversationId);
    let version: number;
    try {
      version = await this.versions.bump(tenant, doc.conversationId);
    } catch (error) {
      this.drop(k);
      throw error;
    }
    const entry = this.entries.get(k);
    if (!entry) return;
    // Another write came in between (another replica, or a racing one here): read again next time.
    if (entry.version !== String(version - 1)) return this.drop(k);
    entry.version = String(version);
    const recent = entry.recent;
    if (recent && !recent.messages.some((m) => m._id === doc._id)) {
      const message = { ...doc, tenantId: tenant } as Message;
      recent.messages = [...recent.messages, message].sort(byTime).slice(-recent.limit);
      this.resize(k, entry);
    }
  }

  touch(tenant: TenantId, subjectId: string, id: string, at: Date): Promise<void> {
    return this.conversations.touch(tenant, subjectId, id, at);
  }

  /**
   * After conversations were deleted (retention): raising their versions makes every replica,
   * this one included, read them again (an entry under an old version is dropped when read).
   */
  forget(tenant: TenantId, conversationIds: readonly string[]): Promise<void> {
    return this.versions.bumpAll(tenant, conversationIds);
  }

  /** Entries held and the stored text they hold (bytes): for tests and metrics. */
  stats(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.bytes };
  }

  private versionOf(tenant: TenantId, conversationId: string): Promise<string> {
    const k = `${tenant}\u0000${conversationId}`;
    const running = this.versionReads.get(k);
    if (running) return running;
    const read = this.versions.current(tenant, conversationId);
    this.versionReads.set(k, read);
    const done = () => this.versionReads.delete(k);
    read.then(done, done);
    return read;
  }

  private valid(k: string, version: string): Entry | undefined {
    const entry = this.entries.get(k);
    if (!entry) return undefined;
    if (entry.version !== version || entry.expiresAtMs <= this.options.clock()) {
      this.drop(k);
      return undefined;
    }
    this.entries.delete(k); // most recently used last
    this.entries.set(k, entry);
    return entry;
  }

  private store(k: string, version: string, fill: (entry: Entry) => void): void {
    let entry = this.entries.get(k);
    if (entry && entry.version !== version) {
      this.drop(k);
      entry = undefined;
    }
    if (!entry) {
      entry = { version, expiresAtMs: 0, bytes: 0 };
      this.entries.set(k, entry);
    }
    fill(entry);
    entry.expiresAtMs = this.options.clock() + this.options.ttlMs;
    this.resize(k, entry);
  }

  private resize(k: string, entry: Entry): void {
    const bytes = (entry.recent?.messages ?? []).reduce((sum, m) => sum + m.content.length, 0);
    this.bytes += bytes - entry.bytes;
    entry.bytes = bytes;
    for (const oldest of this.entries.keys()) {
      if (this.bytes <= this.options.maxBytes) break;
      if (oldest !== k || this.entries.size === 1) this.drop(oldest);
    }
  }

  private drop(k: string): void {
    const entry = this.entries.get(k);
    if (!entry) return;
    this.bytes -= entry.bytes;
    this.entries.delete(k);
  }
}

function keyOf(tenant: string, subjectId: string, conversationId: string): string {
  return `${tenant}\u0000${subjectId}\u0000${conversationId}`;
}

function byTime(a: Message, b: Message): number {
  return a.createdAt.getTime() - b.createdAt.getTime() || (a._id < b._id ? -1 : a._id > b._id ? 1 : 0);
}
