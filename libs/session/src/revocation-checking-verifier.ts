import { TokenError } from '@enclave/platform';
import type { SessionClaims } from './session-claims';
import type { SessionRevocations } from './session-revocations';
import type { SessionVerifier } from './session-verifier';

export class SessionRevoked extends TokenError {
  readonly reason = 'revoked' as const;
  constructor() {
    super('session has been revoked; sign in again or refresh it');
    this.name = 'SessionRevoked';
  }
}

/** A verified token that the in-memory revocations name is refused (401) like an expired one. */
export class RevocationCheckingVerifier implements SessionVerifier {
  constructor(
    readonly inner: SessionVerifier,
    private readonly revocations: SessionRevocations,
  ) {}

  async verify(token: string): Promise<SessionClaims> {
    const session = await this.inner.verify(token);
    if (this.revocations.isRevoked(session)) throw new SessionRevoked();
    return session;
  }
}
