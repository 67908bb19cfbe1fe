// Optimistic concurrency: the stream is no longer at the version the caller decided against.
// The caller reloads the stream, decides again, and retries (or reports a conflict, 409).
export class ConcurrencyError extends Error {
  override readonly name = 'ConcurrencyError';
  constructor(
    readonly streamId: string,
    readonly expectedVersion: number,
  ) {
    super(`stream ${streamId} is not at expected version ${expectedVersion}`);
  }
}
