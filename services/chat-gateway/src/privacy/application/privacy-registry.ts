import { evolvePrivacy, mergePrivacy, UNRESTRICTED, type PrivacyChange, type PrivacyState } from '../domain/privacy-state';

/**
 * Every person with a privacy fact, in this replica's memory: the hot path asks it (a Map
 * lookup, no network). Fed by audit's topic on every replica (cache-event consumer) and, at
 * start and periodically, by the persisted `privacy_states` rows (a replica that starts later
 * still knows who is frozen or restricted); the newer fact per flag wins either way.
 */
export class PrivacyRegistry {
  private readonly states = new Map<string, PrivacyState>();

  get(tenantId: string, subjectId: string): PrivacyState {
    return this.states.get(key(tenantId, subjectId)) ?? UNRESTRICTED;
  }

  apply(tenantId: string, subjectId: string, change: PrivacyChange): PrivacyState {
    const next = evolvePrivacy(this.get(tenantId, subjectId), change);
    this.states.set(key(tenantId, subjectId), next);
    return next;
  }

  /** A persisted row: merged, never overriding a newer in-memory fact. */
  merge(tenantId: string, subjectId: string, state: PrivacyState): void {
    this.states.set(key(tenantId, subjectId), mergePrivacy(this.get(tenantId, subjectId), state));
  }
}

function key(tenantId: string, subjectId: string): string {
  return `${tenantId}\u0000${subjectId}`;
}
