import type { Checkpoint } from '../domain/checkpoint';

/** A checkpoint as JSON: issuedAt as ISO 8601 (the signed text uses its milliseconds). */
export const checkpointResponse = (c: Checkpoint) => ({ ...c, issuedAt: c.issuedAt.toISOString() });
