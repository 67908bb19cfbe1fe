// Reading the driver's bulk-write error: was it a duplicate key, and how many documents of an
// ordered insert went in before it? (An ordered insert stops at its first error.)
interface BulkWriteErrorLike {
  code?: number;
  insertedCount?: number;
  result?: { insertedCount?: number };
  writeErrors?: Array<{ code?: number; index?: number }> | { code?: number; index?: number };
}

export function isDuplicateKeyError(error: unknown): boolean {
  const e = error as BulkWriteErrorLike | null;
  if (!e || typeof e !== 'object') return false;
  if (e.code === 11000) return true;
  const first = Array.isArray(e.writeErrors) ? e.writeErrors[0] : e.writeErrors;
  return first?.code === 11000;
}

/** Number of documents an ordered insertMany wrote before it failed. */
export function insertedBeforeFailure(error: unknown): number {
  const e = error as BulkWriteErrorLike;
  const first = Array.isArray(e.writeErrors) ? e.writeErrors[0] : e.writeErrors;
  if (typeof first?.index === 'number') return first.index;
  return e.insertedCount ?? e.result?.insertedCount ?? 0;
}
