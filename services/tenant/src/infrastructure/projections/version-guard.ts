// A version-guarded upsert ({..., version: {$lt: v}} with upsert) that finds a NEWER document
// falls through to an insert and hits the unique index: that means "already applied".
export function isDuplicateKey(error: unknown): boolean {
  const e = error as { code?: number; writeErrors?: Array<{ code?: number }> } | null;
  if (!e || typeof e !== 'object') return false;
  return e.code === 11000 || (Array.isArray(e.writeErrors) && e.writeErrors[0]?.code === 11000);
}

export async function ignoringStale(write: () => Promise<unknown>): Promise<void> {
  try {
    await write();
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
  }
}
