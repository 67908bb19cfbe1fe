import type { Collection, Connection } from 'mongoose';
import { currentTraceparent, uuidv7 } from '@enclave/platform';
import type { TenantId } from '../tenancy/tenant-id';
import { scopeFilter } from '../tenancy/tenant-scope';
import { TenantScopeError } from '../tenancy/tenant-scope-error';
import { buildEventDocuments, validateAppend } from './build-event-documents';
import { ConcurrencyError } from './concurrency-error';
import { insertedBeforeFailure, isDuplicateKeyError } from './duplicate-key';
import { fromDocument, toDocument, type EventDocument } from './event-document-mapping';
import { eventSchema } from './event-schema';
import { modelFor, onceReady, type ModelHandle } from './model-handle';
import { Outbox, type OutboxClaim, type OutboxView } from './outbox';
import { outboxSchema } from './outbox-schema';
import { SequenceAllocator } from './sequence-allocator';
import type { NewEvent, StoredEvent } from './stored-event';

export interface EventStoreOptions {
  /** Collection name; default `events`. Its outbox is `<collection>_outbox`. */
  collection?: string;
  /**
   * How long an append may take from claiming its numbers to recording that its events are in
   * the store before the relay stops waiting for it and decides by looking; default 5 s.
   */
  claimTimeoutMs?: number;
  clock?: () => Date;
  newId?: () => string;
}

export interface AppendResult {
  /** The stream's version after this append: pass it as expectedVersion next time. */
  version: number;
  events: StoredEvent[];
}

/**
 * Append-only event store over one collection, with its outbox in a small second collection.
 *
 * An append (no transactions) is three inserts: (1) a claim in the outbox on the next free seq
 * numbers, carrying the events (sequence-allocator.ts); (2) the events themselves; (3) a decision
 * `ok` for the claim. The relay publishes a claim's events once it is decided ok, in seq order,
 * and clears it. If the appender dies between (1) and (3), the relay waits claimTimeoutMs, then
 * decides by looking for the events in the store; the decision is an insert with a fixed _id, so
 * the appender's and the relay's cannot both win, and an appender that lost to a relay's `false`
 * enqueues its events again (see settle()). At-least-once: consumers de-duplicate by event id.
 *
 * Partial appends without transactions. A batch is ONE ordered insertMany of one document per
 * event, and the unique (streamId, version) index decides races:
 * - a conflict at the batch's FIRST document means nothing was written: ConcurrencyError;
 * - a conflict at a LATER document would need another writer to append on top of this batch
 *   while it is being inserted. append() rules that out: it requires the document at
 *   expectedVersion to exist AND to be the last of its own append (appendEnd === version), so
 *   no writer can build on a half-written batch (nor on a version that does not exist yet);
 * - should it happen anyway (a writer that bypasses append(), e.g. a hand-made fix), append()
 *   deletes the documents this call inserted and throws ConcurrencyError, so no partial batch
 *   stays behind. (The relay could in theory have sent those events in the meantime; that is
 *   why the first two rules matter more than this clean-up.)
 */
export class EventStore {
  readonly collectionName: string;
  private readonly model: ModelHandle;
  private readonly outbox: Outbox;
  private readonly sequence: SequenceAllocator;
  readonly claimTimeoutMs: number;
  private readonly clock: () => Date;
  private readonly newId: () => string;
  private readonly ensureReady: () => Promise<void>;

  constructor(connection: Connection, options: EventStoreOptions = {}) {
    this.collectionName = options.collection ?? 'events';
    this.model = modelFor(connection, `EventStore:${this.collectionName}`, eventSchema, this.collectionName);
    const outboxName = `${this.collectionName}_outbox`;
    const outboxModel = modelFor(connection, `EventStore:${outboxName}`, outboxSchema, outboxName);
    this.outbox = new Outbox(outboxModel.collection);
    this.sequence = new SequenceAllocator(this.outbox, connection.collection(`${this.collectionName}_seq`));
    this.claimTimeoutMs = options.claimTimeoutMs ?? 5000;
    this.clock = options.clock ?? (() => new Date());
    this.newId = options.newId ?? uuidv7;
    const events = onceReady(this.model);
    const outbox = onceReady(outboxModel);
    this.ensureReady = async () => void (await Promise.all([events(), outbox()]));
  }

  /** Creates the collection and its indexes (idempotent). Appends wait for it. */
  init(): Promise<void> {
    return this.ensureReady();
  }

  /**
   * Starts a new stream with these events, once: false when the stream already exists (a retry
   * or a redelivery already recorded them). For facts that must be written exactly once, keyed
   * by a stream id derived from what they answer (e.g. `subject-purge:<requestId>`).
   */
  async appendOnce(streamId: string, events: readonly NewEvent[]): Promise<boolean> {
    try {
      await this.append(streamId, 0, events);
      return true;
    } catch (error) {
      if (error instanceof ConcurrencyError) return false;
      throw error;
    }
  }

  async append(streamId: string, expectedVersion: number, events: readonly NewEvent[]): Promise<AppendResult> {
    validateAppend({ streamId, expectedVersion, events });
    await this.init();
    const tenant = events[0]!.tenantId;
    if (expectedVersion > 0) await this.assertHead(streamId, expectedVersion, tenant);

    const started = performance.now();
    const ids = events.map(() => this.newId());
    const context = { ids, occurredAt: this.clock(), ...currentTraceparent() };
    const { seq, docs } = await this.sequence.claim(events.length, (first) =>
      buildEventDocuments({ streamId, expectedVersion, events }, { ...context, seq: first }).map(toDocument),
    );
    try {
      await this.collection.insertMany(docs as never[], { ordered: true });
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error; // the claim stays open; the relay decides it
      const written = docs.slice(0, insertedBeforeFailure(error)).map((d) => d._id);
      if (written.length > 0) await this.collection.deleteMany({ _id: { $in: written } } as never);
      await this.outbox.decide(seq, seq + docs.length - 1, false).catch(() => undefined);
      throw new ConcurrencyError(streamId, expectedVersion);
    }
    await this.settle(seq, docs, started);
    return { version: expectedVersion + events.length, events: docs.map((d) => fromDocument(d as never)) };
  }

  /**
   * Records that claim seq's events are in the store. If the relay decided first (it stopped
   * waiting: claimTimeoutMs passed) and found nothing, the events are enqueued again under new
   * numbers. A failure here is not the caller's: the events are stored and the open claim is
   * decided by the relay after claimTimeoutMs.
   */
  private async settle(seq: number, docs: EventDocument[], started: number): Promise<void> {
    try {
      for (let attempt = 0; attempt < 5; attempt++) {
        const end = seq + docs.length - 1;
        // Until claimTimeoutMs has passed since the claim, no relay decides it, so our insert is
        // the decision; after that, check the claim was not already acted on and cleared.
        const ok = await this.outbox.decide(seq, end, true);
        if (ok && (performance.now() - started < this.claimTimeoutMs / 2 || (await this.outbox.isOpen(seq)))) return;
        started = performance.now();
        ({ seq } = await this.sequence.claim(docs.length, () => docs));
      }
    } catch {
      // The relay decides the open claim by looking in the store.
    }
  }

  /** The stream's events of one tenant, in version order. */
  async readStream(streamId: string, scope: { tenantId: TenantId; afterVersion?: number }): Promise<StoredEvent[]> {
    const filter: Record<string, unknown> = scopeFilter(scope?.tenantId, { streamId });
    if (scope.afterVersion !== undefined) filter.version = { $gt: scope.afterVersion };
    const docs = await this.collection.find(filter).sort({ version: 1 }).toArray();
    return docs.map((d) => fromDocument(d as Record<string, unknown>));
  }

  /** Rebuilds state by folding evolve over the decoded stream; version is the last one seen. */
  async fold<S, E>(
    streamId: string,
    tenant: TenantId,
    evolve: (state: S, event: E) => S,
    initial: S,
    decode: (event: StoredEvent) => E,
  ): Promise<{ state: S; version: number }> {
    let state = initial;
    let version = 0;
    for (const event of await this.readStream(streamId, { tenantId: tenant })) {
      state = evolve(state, decode(event));
      version = event.version;
    }
    return { state, version };
  }

  /** The events appended but not yet published by the relay (all tenants), in append order. */
  async unpublished(limit: number): Promise<StoredEvent[]> {
    await this.init();
    const view = await this.outbox.view(2 * limit + 1);
    return view.claims.filter((c) => c.ok !== false).flatMap((c) => c.events).slice(0, limit);
  }

  /** For the relay: its position and the first open claims (at most `limit` outbox documents). */
  async outboxView(limit: number): Promise<OutboxView> {
    await this.init();
    return this.outbox.view(limit);
  }

  /** For the relay, after an acknowledged send: the new position, and the claims it finished. */
  advanceOutbox(position: number, cleared: readonly number[]): Promise<void> {
    return this.outbox.advance(position, cleared);
  }

  /**
   * For the relay, about a claim open longer than claimTimeoutMs: decides it by looking for its
   * last event in the store (an ordered insert writes it last). Returns the decision in force.
   */
  async resolveClaim(claim: OutboxClaim): Promise<boolean> {
    const last = claim.events.at(-1);
    const present = last ? (await this.collection.findOne({ _id: last.id } as never, { projection: { _id: 1 } })) !== null : false;
    return this.outbox.decide(claim.seq, claim.end, present);
  }

  private get collection(): Collection {
    return this.model.collection;
  }

  private async assertHead(streamId: string, expectedVersion: number, tenant: TenantId): Promise<void> {
    const head = await this.collection.findOne(
      { streamId, version: expectedVersion },
      { projection: { tenantId: 1, appendEnd: 1 } },
    );
    if (!head || head.appendEnd !== expectedVersion) throw new ConcurrencyError(streamId, expectedVersion);
    if (head.tenantId !== tenant) throw new TenantScopeError('append refused: the stream belongs to another tenant');
  }
}
