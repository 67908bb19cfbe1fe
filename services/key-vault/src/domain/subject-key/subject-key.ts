// A person's data key as key-vault keeps it, and the pure decisions about it. The key itself is
// stored only wrapped by the KEK; shredding destroys the wrapped key and leaves a tombstone so
// the key is never created again for that person in that tenant.

/** Subject ids are pseudonymous ids (UUIDs or slugs): no '.', '$', '|' or whitespace. */
const SUBJECT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

export function isSubjectId(value: unknown): value is string {
  return typeof value === 'string' && SUBJECT_ID_PATTERN.test(value);
}

/** Erasure request ids (audit's): the same id alphabet. */
export function isRequestId(value: unknown): value is string {
  return isSubjectId(value);
}

export type SubjectKeyState =
  | { status: 'absent' }
  | { status: 'live'; keyId: string; createdAt: Date }
  /** keyId null: the person never had a key; the tombstone still stops one being created. */
  | { status: 'shredded'; keyId: string | null; createdAt: Date | null; shreddedAt: Date; requestId: string };

export type KeyRequestDecision = 'serve' | 'create' | 'refuse-shredded' | 'not-found';

/** What GetSubjectKey does for a person's key in `state`. */
export function decideKeyRequest(state: SubjectKeyState, create: boolean): KeyRequestDecision {
  switch (state.status) {
    case 'live':
      return 'serve';
    case 'shredded':
      return 'refuse-shredded';
    case 'absent':
      return create ? 'create' : 'not-found';
    default:
      return assertNever(state);
  }
}

export interface PurgeOutcome {
  /** The key shredded for this person (null: they never had one). */
  shreddedKeyId: string | null;
  /** Records this request deleted: 1 when it destroyed a key, 0 on a person without one or a later request. */
  recordsDeleted: number;
}

/** After shredding (the tombstone as stored), what the purge request `requestId` reports. */
export function purgeOutcome(tombstone: SubjectKeyState, requestId: string): PurgeOutcome {
  if (tombstone.status !== 'shredded') throw new Error('purgeOutcome expects a shredded subject key');
  return {
    shreddedKeyId: tombstone.keyId,
    recordsDeleted: tombstone.keyId !== null && tombstone.requestId === requestId ? 1 : 0,
  };
}

/** Metadata for the person's access export (never key material). */
export function subjectKeyExport(state: SubjectKeyState): { keyId: string | null; createdAt: string | null; shreddedAt: string | null } | null {
  switch (state.status) {
    case 'absent':
      return null;
    case 'live':
      return { keyId: state.keyId, createdAt: state.createdAt.toISOString(), shreddedAt: null };
    case 'shredded':
      return { keyId: state.keyId, createdAt: state.createdAt?.toISOString() ?? null, shreddedAt: state.shreddedAt.toISOString() };
    default:
      return assertNever(state);
  }
}

function assertNever(value: never): never {
  throw new Error(`unhandled subject key state: ${JSON.stringify(value)}`);
}
