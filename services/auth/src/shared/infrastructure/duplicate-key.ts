/** The driver's "E11000 duplicate key" error, bare or inside a bulk-write error. */
export function isDuplicateKey(error: unknown): boolean {
  const e = error as { code?: number; writeErrors?: Array<{ code?: number }> } | null;
  if (!e || typeof e !== 'object') return false;
  return e.code === 11000 || (Array.isArray(e.writeErrors) && e.writeErrors[0]?.code === 11000);
}
