import type { Collection, Connection } from 'mongoose';
import { currentTraceparent, uuidv7 } from '@enclave/platform';
import type { TenantId } from '../tenancy/tenant-id';
import { scopeFilter } from '../tenancy/tenant-scope';
import { TenantScopeError } from '../tenancy/tenant-scope-error';
import { buildEventDocuments, validateAppend } from './build-event-documents';
import { ConcurrencyError } from './concurrency-error';
import { insertedBeforeFailure, isDuplicateKeyError } from './duplicate-key';
import { fromDocument, toDocument } from './event-document-mapping';
import { eventSchema, sequenceSchema } from './event-schema';
import { modelFor, onceReady, type ModelHandle } from './model-handle';
import { SequenceAllocator } from './sequence-allocator';
import type { NewEvent, StoredEvent } from './stored-event';

export interface EventStoreOptions {
  /** Collection name; default `events`. The seq counter lives in `<collection>_seq`. */
  collection?: string;
  clock?: () => Date;
  newId?: () => string;
}

export interface AppendResult {
  /** The stream's version after this append: pass it as expectedVersion next time. */
  version: number;
  events: StoredEvent[];
}

/**
 * Append-only event store over one collection; it is also the outbox (published flag).
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
  private readonly sequence: SequenceAllocator;
  private readonly clock: () => Date;
  private readonly newId: () => string;
  private readonly ensureReady: () => Promise<void>;

  constructor(connection: Connection, options: EventStoreOptions = {}) {
    this.collectionName = options.collection ?? 'events';
    this.model = modelFor(connection, `EventStore:${this.collectionName}`, eventSchema, this.collectionName);
    const seqName = `${this.collectionName}_seq`;
    this.sequence = new SequenceAllocator(modelFor(connection, `EventStore:${seqName}`, sequenceSchema, seqName).collection);
    this.clock = options.clock ?? (() => new Date());
    this.newId = options.newId ?? uuidv7;
    this.ensureReady = onceReady(this.model);
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

    const seqEnd = await this.sequence.reserve(events.length);
    const trace = currentTraceparent();
    const stored = buildEventDocuments(
      { streamId, expectedVersion, events },
      { ids: events.map(() => this.newId()), seqEnd, occurredAt: this.clock(), ...trace },
    );
    try {
      await this.collection.insertMany(stored.map(toDocument) as never[], { ordered: true });
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      const written = stored.slice(0, insertedBeforeFailure(error)).map((e) => e.id);
      if (written.length > 0) await this.collection.deleteMany({ _id: { $in: written } } as never);
      throw new ConcurrencyError(streamId, expectedVersion);
    }
    return { version: expectedVersion + events.length, events: stored };
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

  /** For the outbox relay (all tenants): the oldest unpublished events in append order. */
  async unpublished(limit: number): Promise<StoredEvent[]> {
    const docs = await this.collection.find({ published: false }).sort({ seq: 1 }).limit(limit).toArray();
    return docs.map((d) => fromDocument(d as Record<string, unknown>));
  }

  /** For the outbox relay: marks events as sent to Kafka. */
  async markPublished(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.collection.updateMany({ _id: { $in: [...ids] } } as never, { $set: { published: true } });
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
