// Appends events to their tenant's chain. Appends of one tenant are serialized in-process by a
// promise chain (the head must be read after the previous append finished); across processes
// the unique (tenantId, seq) index decides, and the loser reloads the head and tries again.
// The unique eventId index makes a redelivered or duplicated event a no-op.
//
// executeBatch appends many events, every tenant's in the order given, with one ordered
// insertMany per tenant, the tenants side by side; nothing is looked up first (the unique
// indexes refuse duplicates). An ordered insert stops at its first refusal, so what went in is a
// prefix of the chain; never a gap. After a collision (an event logged already — a batch
// redelivered after a crash — or a seq another writer took) the events of the whole batch now
// logged are found in one query, the heads of the tenants concerned reloaded and the rest
// inserted again.
import { appendEntry, type ChainHead, type EntryDraft } from '../domain/audit-entry';
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

  /** Appends the drafts, each tenant's in the order given. */
  async executeBatch(drafts: readonly EntryDraft[]): Promise<BatchOutcome> {
    const byTenant = new Map<string, EntryDraft[]>();
    const seen = new Set<string>();
    for (const draft of drafts) {
      if (seen.has(draft.eventId)) continue;
      seen.add(draft.eventId);
      const list = byTenant.get(draft.tenantId);
      if (list) list.push(draft);
      else byTenant.set(draft.tenantId, [draft]);
    }
    const appended = await this.serializedAll([...byTenant.keys()], () => this.appendBatchNow(byTenant));
    return { appended, duplicates: drafts.length - appended };
  }

  /** Tenants appended to since the last call: the checkpoint schedule looks at these first. */
  takeTouched(): Set<string> {
    const touched = this.touched;
    this.touched = new Set();
    return touched;
  }

  private serialized<T>(tenant: string, work: () => Promise<T>): Promise<T> {
    return this.serializedAll([tenant], work);
  }

  /** Runs work after every append queued for these tenants, and before any queued later. */
  private serializedAll<T>(tenants: readonly string[], work: () => Promise<T>): Promise<T> {
    const previous = Promise.all(tenants.map((t) => (this.tails.get(t) ?? Promise.resolve()).catch(() => undefined)));
    const next = previous.then(work);
    for (const tenant of tenants) this.tails.set(tenant, next);
    // Forget the tails once it settles, unless another append queued behind it.
    const forget = () => {
      for (const tenant of tenants) if (this.tails.get(tenant) === next) this.tails.delete(tenant);
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

  private async appendBatchNow(byTenant: ReadonlyMap<string, EntryDraft[]>): Promise<number> {
    const pending = new Map([...byTenant].map(([tenant, list]) => [tenant, [...list]]));
    const collisions = new Map<string, number>();
    let appended = 0;
    while (pending.size > 0) {
      // Each tenant's chain in its own ordered insert, the tenants side by side: the database
      // converts documents on several connections while its one writer commits.
      const results = await Promise.all(
        [...pending].map(async ([tenant, drafts]) => {
          let head = this.heads.get(tenant) ?? (await this.store.head(tenant));
          const entries = drafts.map((draft) => (head = appendEntry(head, draft)));
          return { tenant, drafts, head, ...(await this.store.insertMany(entries)) };
        }),
      );
      let collided = false;
      for (const { tenant, drafts, head, inserted, collision } of results) {
        appended += inserted;
        if (inserted > 0) this.touched.add(tenant);
        if (!collision) {
          this.heads.set(tenant, { seq: head.seq, hash: head.hash });
          pending.delete(tenant);
          continue;
        }
        collided = true;
        const tries = (collisions.get(tenant) ?? 0) + 1;
        if (tries >= MAX_ATTEMPTS) throw new Error(`could not append to the audit chain after ${tries} attempts`);
        collisions.set(tenant, tries);
        this.heads.delete(tenant);
        pending.set(tenant, drafts.slice(inserted));
      }
      if (!collided) continue;
      // A redelivered batch collides in every tenant it touched: find every event of the rest
      // that is logged now, ours or not, in one query, and reload the heads of those tenants.
      const logged = await this.store.loggedEventIds([...pending.values()].flat().map((d) => d.eventId));
      for (const [tenant, list] of pending) {
        const rest = list.filter((d) => !logged.has(d.eventId));
        if (rest.length < list.length) this.heads.delete(tenant);
        if (rest.length === 0) pending.delete(tenant);
        else pending.set(tenant, rest);
      }
    }
    return appended;
  }
}
