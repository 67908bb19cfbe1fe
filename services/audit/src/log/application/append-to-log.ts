// Appends events to their tenant's chain. Appends of one tenant are serialized in-process by a
// promise chain (the head must be read after the previous append finished); across processes
// the unique (tenantId, seq) index decides, and the loser reloads the head and tries again.
// The unique eventId index makes a redelivered or duplicated event a no-op.
import { appendEntry, type ChainHead, type EntryDraft } from '../domain/audit-entry';
import type { AuditLogStore } from './ports';

const MAX_ATTEMPTS = 20;

export type AppendOutcome = { appended: true; seq: number } | { appended: false; reason: 'duplicate_event' };

export class AppendToLog {
  private readonly tails = new Map<string, Promise<unknown>>();
  private readonly heads = new Map<string, ChainHead>();

  constructor(private readonly store: AuditLogStore) {}

  execute(draft: EntryDraft): Promise<AppendOutcome> {
    const tenant = draft.tenantId;
    const previous = this.tails.get(tenant) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(() => this.appendNow(draft));
    this.tails.set(tenant, next);
    // Forget the tail once it settles, unless another append queued behind it.
    const forget = () => {
      if (this.tails.get(tenant) === next) this.tails.delete(tenant);
    };
    next.then(forget, forget);
    return next;
  }

  private async appendNow(draft: EntryDraft): Promise<AppendOutcome> {
    for (let attempt = 1; ; attempt++) {
      const head = this.heads.get(draft.tenantId) ?? (await this.store.head(draft.tenantId));
      const entry = appendEntry(head, draft);
      const outcome = await this.store.insert(entry);
      if (outcome === 'inserted') {
        this.heads.set(draft.tenantId, { seq: entry.seq, hash: entry.hash });
        return { appended: true, seq: entry.seq };
      }
      if (outcome === 'duplicate_event') return { appended: false, reason: 'duplicate_event' };
      // Another writer (process) took this seq: our cached head is stale.
      this.heads.delete(draft.tenantId);
      if (attempt >= MAX_ATTEMPTS) throw new Error(`could not append to the audit chain after ${attempt} attempts`);
    }
  }
}
