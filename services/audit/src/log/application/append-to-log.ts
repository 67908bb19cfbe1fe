// Appends events to their tenant's chain. Appends of one tenant are serialized in-process by a
// promise chain (the head must be read after the previous append finished); across processes
// the unique (tenantId, seq) index decides, and the loser reloads the head and tries again.
// The unique eventId index makes a redelivered or duplicated event a no-op.
//
// executeBatch appends many events with one ordered insertMany per tenant, in the order given;
// nothing is looked up first (the unique indexes refuse duplicates). After a collision (an
// event logged already, or a seq another writer took) the events now logged are dropped, the
// head reloaded and the rest inserted again.
import { appendEntry, type AuditEntry, type ChainHead, type EntryDraft } from '../domain/audit-entry';
import type { AuditLogStore } from './ports';

const MAX_ATTEMPTS = 20;

export type AppendOutcome = { appended: true; seq: number } | { appended: false; reason: 'duplicate_event' };

export interface BatchOutcome {
  appended: number;
  duplicates: number;
}

export class AppendToLog {
  private readonly tails = new Map<string, Promise<unknown>>();
  private readonly heads = new Map<string, ChainHead>();
  private touched = new Set<string>();

  constructor(private readonly store: AuditLogStore) {}

  execute(draft: EntryDraft): Promise<AppendOutcome> {
    return this.serialized(draft.tenantId, () => this.appendNow(draft));
  }

  /** Appends the drafts, each tenant's in the order given; tenants concurrently. */
  async executeBatch(drafts: readonly EntryDraft[]): Promise<BatchOutcome> {
    const byTenant = new Map<string, EntryDraft[]>();
    for (const draft of drafts) byTenant.set(draft.tenantId, [...(byTenant.get(draft.tenantId) ?? []), draft]);
    const outcomes = await Promise.all([...byTenant].map(([tenant, list]) => this.serialized(tenant, () => this.appendManyNow(tenant, list))));
    return outcomes.reduce((sum, o) => ({ appended: sum.appended + o.appended, duplicates: sum.duplicates + o.duplicates }), { appended: 0, duplicates: 0 });
  }

  /** Tenants appended to since the last call: the checkpoint schedule looks at these first. */
  takeTouched(): Set<string> {
    const touched = this.touched;
    this.touched = new Set();
    return touched;
  }

  private serialized<T>(tenant: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(tenant) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(work);
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
        this.touched.add(draft.tenantId);
        return { appended: true, seq: entry.seq };
      }
      if (outcome === 'duplicate_event') return { appended: false, reason: 'duplicate_event' };
      // Another writer (process) took this seq: our cached head is stale.
      this.heads.delete(draft.tenantId);
      if (attempt >= MAX_ATTEMPTS) throw new Error(`could not append to the audit chain after ${attempt} attempts`);
    }
  }

  private async appendManyNow(tenant: string, drafts: readonly EntryDraft[]): Promise<BatchOutcome> {
    let pending = [...new Map(drafts.map((d) => [d.eventId, d])).values()];
    let appended = 0;
    for (let attempt = 1; pending.length > 0; attempt++) {
      let head = this.heads.get(tenant) ?? (await this.store.head(tenant));
      const entries: AuditEntry[] = [];
      for (const draft of pending) {
        const entry = appendEntry(head, draft);
        entries.push(entry);
        head = entry;
      }
      const { inserted, collision } = await this.store.insertMany(entries);
      appended += inserted;
      if (inserted > 0) this.touched.add(tenant);
      if (!collision) {
        this.heads.set(tenant, { seq: head.seq, hash: head.hash });
        break;
      }
      // An event logged already (a redelivery) or a seq another writer took: the unique indexes
      // refused the rest. Drop what is logged now, ours or not, and go again on a fresh head.
      this.heads.delete(tenant);
      const logged = await this.store.loggedEventIds(pending.map((d) => d.eventId));
      pending = pending.filter((d) => !logged.has(d.eventId));
      if (attempt >= MAX_ATTEMPTS) throw new Error(`could not append to the audit chain after ${attempt} attempts`);
    }
    return { appended, duplicates: drafts.length - appended };
  }
}
