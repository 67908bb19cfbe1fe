// Applies one event's $inc to one totals document at most once, without transactions.
//
// The filter {...key, applied: {$ne: eventId}} and the update {$inc, $addToSet: {applied}} act
// on ONE document, which Mongo/FerretDB update atomically: either the counters move and the id
// is recorded together, or (id already there) nothing matches and nothing moves. A crash between
// this update and the consumer's processed marker therefore cannot count an event twice: the
// redelivery finds its id on the document. When nothing matches, the upsert tries to insert a
// second document with the same unique key and fails with E11000; re-reading tells "already
// applied" (id present) from "another writer created the document first" (retry).
//
// Keeping ids bounded: once a document holds more than MAX_APPLIED ids, the list is cut to the
// newest KEEP_APPLIED. An id is only needed until the consumer has recorded the event
// as processed, which happens before the next message of the same partition is handled (one
// tenant = one partition key); keeping the last 500 leaves a wide margin over that window.
import type { mongo } from 'mongoose';
import { isDuplicateKeyError } from '../../shared/duplicate-key';
import type { UsageIncrement } from '../domain/usage-increment';
import type { Totals } from '../application/ports';

type Collection = mongo.Collection;
type Document = mongo.Document;
type Filter = mongo.Filter<mongo.Document>;

export const MAX_APPLIED = 1000;
export const KEEP_APPLIED = 500;
const ATTEMPTS = 3;

export interface IncrementResult {
  /** False when this event had already been applied to the document. */
  applied: boolean;
  totals: Totals;
}

const TOTALS_ONLY = { projection: { promptTokens: 1, completionTokens: 1, messages: 1, appliedCount: 1 } };

export async function guardedIncrement(
  collection: Collection,
  key: Record<string, string>,
  eventId: string,
  inc: UsageIncrement,
  bounds: { max: number; keep: number } = { max: MAX_APPLIED, keep: KEEP_APPLIED },
): Promise<IncrementResult> {
  for (let attempt = 1; ; attempt++) {
    try {
      // updateOne then findOne: FerretDB's findAndModify takes no projection, and the whole
      // document would drag the applied ids along on every event.
      await collection.updateOne(
        { ...key, applied: { $ne: eventId } } as Filter,
        { $inc: { ...inc, appliedCount: 1 }, $addToSet: { applied: eventId } },
        { upsert: true },
      );
      const doc = await collection.findOne(key, TOTALS_ONLY);
      if (Number(doc?.appliedCount) > bounds.max) await pruneApplied(collection, key, bounds.keep);
      return { applied: true, totals: totalsOf(doc) };
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      const already = await collection.findOne({ ...key, applied: eventId } as Filter, TOTALS_ONLY);
      if (already) return { applied: false, totals: totalsOf(already) };
      if (attempt >= ATTEMPTS) throw error;
    }
  }
}

// Rewrites the id list with its newest `keep` ids, only if nobody appended since it was read
// (appliedCount unchanged: optimistic, single-document). FerretDB ignores $pull with $in, so
// the list is replaced with $set. Losing the race just leaves pruning to the next event.
async function pruneApplied(collection: Collection, key: Record<string, string>, keep: number): Promise<void> {
  const doc = await collection.findOne(key, { projection: { applied: 1, appliedCount: 1 } });
  const applied = (doc?.applied as string[] | undefined) ?? [];
  if (applied.length <= keep) return;
  const kept = applied.slice(-keep);
  await collection.updateOne(
    { ...key, appliedCount: doc?.appliedCount } as Filter,
    { $set: { applied: kept, appliedCount: kept.length } },
  );
}

export function totalsOf(doc: Document | null | undefined): Totals {
  return {
    promptTokens: Number(doc?.promptTokens ?? 0),
    completionTokens: Number(doc?.completionTokens ?? 0),
    messages: Number(doc?.messages ?? 0),
  };
}
