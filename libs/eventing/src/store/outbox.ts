import type { Collection } from 'mongoose';
import { isDuplicateKeyError } from './duplicate-key';
import { fromDocument, type EventDocument } from './event-document-mapping';
import { claimId, decisionId, POSITION_ID } from './outbox-schema';
import type { StoredEvent } from './stored-event';

/** One append as the relay sees it: its numbers, its events, and whether they are in the store. */
export interface OutboxClaim {
  seq: number;
  end: number;
  events: StoredEvent[];
  /** true: the events are in the store, publish them; false: they never were, skip; undefined: not decided yet. */
  ok: boolean | undefined;
}

export interface OutboxView {
  /** Every seq up to here was published or skipped. */
  position: number;
  /** The claims not cleared yet, in seq order. */
  claims: OutboxClaim[];
  /** Decisions whose claim is gone (an appender decided after the relay cleared it): to clear. */
  orphans: number[];
}

/**
 * The outbox collection of one event store (see outbox-schema.ts). Every write is an insert of a
 * fresh _id or the relay's position update, so nothing depends on an atomic read-modify-write:
 * who claimed a number, and whether an append's events count, is decided by the unique _id.
 */
export class Outbox {
  constructor(private readonly collection: Collection) {}

  /** Writes one append's claim on seq..seq+events-1 with its events; false when seq is taken. */
  async claim(seq: number, events: readonly EventDocument[]): Promise<boolean> {
    const doc = { _id: claimId(seq), kind: 'claim', seq, end: seq + events.length - 1, events };
    try {
      await this.collection.insertOne(doc as never);
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }

  /**
   * Records whether claim seq's events are in the store. The first decision wins (appender or
   * relay); returns the one in force. A decision that is gone was already acted on by the relay:
   * reported as false (not published on our word), so an appender enqueues its events again.
   */
  async decide(seq: number, end: number, ok: boolean): Promise<boolean> {
    try {
      await this.collection.insertOne({ _id: decisionId(seq), kind: 'decision', seq, end, ok } as never);
      return ok;
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      const existing = await this.collection.findOne({ _id: decisionId(seq) } as never);
      return existing?.ok === true;
    }
  }

  /** The last number of the claim on seq, if it is still open. */
  async claimEnd(seq: number): Promise<number | undefined> {
    const doc = await this.collection.findOne({ _id: claimId(seq) } as never, { projection: { end: 1 } });
    return doc ? Number(doc.end) : undefined;
  }

  /** Whether claim seq is still open (the relay clears it only after acting on its decision). */
  async isOpen(seq: number): Promise<boolean> {
    return (await this.collection.findOne({ _id: claimId(seq) } as never, { projection: { _id: 1 } })) !== null;
  }

  /** The position and the first open claims; reads at most `limit` documents. */
  async view(limit: number): Promise<OutboxView> {
    const docs = await this.collection.find({}).sort({ _id: 1 }).limit(limit).toArray();
    let position = 0;
    const claims = new Map<number, OutboxClaim>();
    const decisions = new Map<number, boolean>();
    for (const doc of docs) {
      if (String(doc._id) === POSITION_ID) position = Number(doc.seq);
      else if (doc.kind === 'claim') claims.set(Number(doc.seq), toClaim(doc));
      else if (doc.kind === 'decision') decisions.set(Number(doc.seq), doc.ok === true);
    }
    // The last claim read may have had its decision cut off by the limit: leave it for next time.
    const last = docs.at(-1);
    if (docs.length === limit && last?.kind === 'claim') claims.delete(Number(last.seq));
    const orphans: number[] = [];
    for (const [seq, ok] of decisions) {
      const claim = claims.get(seq);
      if (claim) claim.ok = ok;
      else orphans.push(seq); // a claim always sorts right before its decision
    }
    return { position, claims: [...claims.values()].sort((a, b) => a.seq - b.seq), orphans };
  }

  /** The highest number handed out so far (0 for a new store). */
  async head(): Promise<number> {
    const [last] = await this.collection.find({}).sort({ _id: -1 }).limit(1).toArray();
    const position = await this.collection.findOne({ _id: POSITION_ID } as never);
    const claimed = last && String(last._id) !== POSITION_ID ? Number(last.end ?? last.seq) : 0;
    return Math.max(claimed, Number(position?.seq ?? 0));
  }

  /** After an acknowledged send: moves the position forward (never back) and clears finished claims. */
  async advance(position: number, cleared: readonly number[]): Promise<void> {
    const moved = await this.collection.updateOne({ _id: POSITION_ID, seq: { $lt: position } } as never, { $set: { seq: position } });
    if (moved.matchedCount === 0) {
      try {
        await this.collection.insertOne({ _id: POSITION_ID, kind: 'position', seq: position } as never);
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error; // it exists at or beyond this position
      }
    }
    if (cleared.length === 0) return;
    const ids = cleared.flatMap((seq) => [claimId(seq), decisionId(seq)]);
    await this.collection.deleteMany({ _id: { $in: ids } } as never);
  }
}

function toClaim(doc: Record<string, unknown>): OutboxClaim {
  const events = Array.isArray(doc.events) ? (doc.events as Record<string, unknown>[]) : [];
  return { seq: Number(doc.seq), end: Number(doc.end), events: events.map(fromDocument), ok: undefined };
}
