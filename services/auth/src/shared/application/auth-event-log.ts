import type { AccountEvent } from '../../accounts/domain/account';
import type { LoginLinkEvent } from '../../login-links/domain/login-link';
import type { PrivacyEvent } from '../../privacy/domain/privacy-events';
import type { SessionEvent } from '../../sessions/domain/session-events';
import type { ActorRef } from './actor';

/** Every event auth records; each becomes one message on enclave.auth.events.v1. */
export type AuthEvent = AccountEvent | LoginLinkEvent | PrivacyEvent | SessionEvent;

/**
 * Auth's event store (and outbox). Streams: `account-<subjectId>`, `login-link-<linkId>`,
 * `session-<sessionId>`, `session-revocation-<id>`, `subject-purge-<requestId>`, `retention-<runId>`. An append that loses a race throws the store's ConcurrencyError.
 */
export abstract class AuthEventLog {
  abstract read(tenantId: string, streamId: string): Promise<{ events: AuthEvent[]; version: number }>;
  abstract append(tenantId: string, streamId: string, expectedVersion: number, events: AuthEvent[], actor: ActorRef): Promise<void>;
}

export const streams = {
  account: (subjectId: string) => `account-${subjectId}`,
  loginLink: (linkId: string) => `login-link-${linkId}`,
  session: (sessionId: string) => `session-${sessionId}`,
};
