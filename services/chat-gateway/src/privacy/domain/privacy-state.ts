import { assertNever } from '../../shared/assert-never';

// What the gateway knows about one person's data-subject requests (from audit's topic): frozen
// while an erasure is pending, restricted while processing is restricted/objected to, erased once
// the purge ran. Each flag remembers when it last changed, so an older fact (a reloaded row, a
// late event) never overrides a newer one.

export interface PrivacyState {
  frozen: boolean;
  frozenChangedAtMs: number;
  restricted: boolean;
  restrictedChangedAtMs: number;
  /** Purged: nothing of theirs may be stored again (kept in memory only). */
  erased: boolean;
}

export const UNRESTRICTED: PrivacyState = { frozen: false, frozenChangedAtMs: 0, restricted: false, restrictedChangedAtMs: 0, erased: false };

export type PrivacyChange =
  | { type: 'ErasureRequested'; atMs: number }
  | { type: 'ErasureCancelled'; atMs: number }
  | { type: 'ProcessingRestricted'; atMs: number }
  | { type: 'ProcessingRestrictionLifted'; atMs: number }
  | { type: 'SubjectPurged'; atMs: number };

export function evolvePrivacy(state: PrivacyState, change: PrivacyChange): PrivacyState {
  switch (change.type) {
    case 'ErasureRequested':
    case 'ErasureCancelled':
      if (change.atMs < state.frozenChangedAtMs) return state;
      return { ...state, frozen: change.type === 'ErasureRequested', frozenChangedAtMs: change.atMs };
    case 'ProcessingRestricted':
    case 'ProcessingRestrictionLifted':
      if (change.atMs < state.restrictedChangedAtMs) return state;
      return { ...state, restricted: change.type === 'ProcessingRestricted', restrictedChangedAtMs: change.atMs };
    case 'SubjectPurged':
      return { ...state, erased: true };
    default:
      return assertNever(change);
  }
}

/** Per flag, the more recent of two views of the same person (memory vs. persisted row). */
export function mergePrivacy(a: PrivacyState, b: PrivacyState): PrivacyState {
  const frozen = b.frozenChangedAtMs > a.frozenChangedAtMs ? b : a;
  const restricted = b.restrictedChangedAtMs > a.restrictedChangedAtMs ? b : a;
  return {
    frozen: frozen.frozen,
    frozenChangedAtMs: frozen.frozenChangedAtMs,
    restricted: restricted.restricted,
    restrictedChangedAtMs: restricted.restrictedChangedAtMs,
    erased: a.erased || b.erased,
  };
}

/** What a person does with their own data. */
export type SelfAction = 'chat' | 'start_conversation' | 'read_history' | 'api';

export type PrivacyRefusal = 'account_frozen' | 'processing_restricted';

/**
 * Frozen (erasure pending) or erased: nothing at all. Restricted: nothing new is processed or
 * stored (chats, new conversations, API calls), but the person can still read their history.
 */
export function decideSelfAccess(state: PrivacyState, action: SelfAction): PrivacyRefusal | null {
  if (state.frozen || state.erased) return 'account_frozen';
  if (!state.restricted) return null;
  switch (action) {
    case 'read_history':
      return null;
    case 'chat':
    case 'start_conversation':
    case 'api':
      return 'processing_restricted';
    default:
      return assertNever(action);
  }
}

export const REFUSAL_MESSAGES: Record<PrivacyRefusal, string> = {
  account_frozen: 'this account is frozen while its erasure is pending; cancel the erasure to use it again',
  processing_restricted: 'processing of your data is restricted: new chats are not possible while the restriction lasts',
};
