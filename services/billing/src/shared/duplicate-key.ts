/** Mongo's (and FerretDB's) duplicate key error, code 11000; FerretDB does not name the index. */
export function isDuplicateKeyError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { code?: unknown; writeErrors?: Array<{ code?: unknown }> };
  return e.code === 11000 || (Array.isArray(e.writeErrors) && e.writeErrors[0]?.code === 11000);
}
