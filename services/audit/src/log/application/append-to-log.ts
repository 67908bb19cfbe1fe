// Appends events to their tenant's chain. Appends of one tenant are serialized in-process by a
// promise chain (the head must be read after the previous append finished); across processes
// the unique (tenantId, seq) index decides, and the loser reloads the head and tries again.
// The unique eventId index makes a redelivered or duplicated event a no-op.
//
// executeBatch appends many events, every tenant's in the order given, with ONE ordered
// insertMany for all the tenants of the batch (one round trip: the database's single writer is
// the bottleneck); nothing is looked up first (the unique indexes refuse duplicates). An ordered
// insert stops at its first refusal, so what went in is a prefix: whole chains, then the prefix
// of the chain that collided; never a gap. After a collision (an event logged already — a batch
// redelivered after a crash — or a seq another writer took) the events now logged are dropped,
// the heads of the tenants concerned reloaded and the rest inserted again.
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
      const tenants = [...pending.keys()];
      const heads = await Promise.all(tenants.map(async (t) => this.heads.get(t) ?? (await this.store.head(t))));
      const entries: AuditEntry[] = [];
      const chains = tenants.map((tenant, i) => {
        let head = heads[i]!;
        for (const draft of pending.get(tenant)!) entries.push((head = appendEntry(head, draft)));
        return { tenant, count: pending.get(tenant)!.length, head };
      });
      const { inserted, collision } = await this.store.insertMany(entries);
      appended += inserted;
      let start = 0;
      for (const chain of chains) {
        const done = Math.min(chain.count, Math.max(0, inserted - start));
        start += chain.count;
        if (done > 0) this.touched.add(chain.tenant);
        if (done === chain.count) {
          this.heads.set(chain.tenant, { seq: chain.head.seq, hash: chain.head.hash });
          pending.delete(chain.tenant);
        } else {
          pending.set(chain.tenant, pending.get(chain.tenant)!.slice(done));
        }
      }
      if (!collision) continue;
      // A redelivered batch collides in every tenant it touched: find every event of the rest
      // that is logged now, ours or not, in one pass, and reload the heads of those tenants.
      const failed = entries[inserted]!.tenantId;
      const tries = (collisions.get(failed) ?? 0) + 1;
      if (tries >= MAX_ATTEMPTS) throw new Error(`could not append to the audit chain after ${tries} attempts`);
      collisions.set(failed, tries);
      this.heads.delete(failed);
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
