// Does SessionGuard's verifier refuse a validly signed token once its session is revoked?
import { TokenError } from '@enclave/platform';
import { RevocationCheckingVerifier, SessionRevoked } from './revocation-checking-verifier';
import { SessionRevocations } from './session-revocations';
import { testSessions } from './test-sessions';

describe('RevocationCheckingVerifier', () => {
  it('passes a live session and refuses it after its revocation with a TokenError', async () => {
    const { verifier, mint } = testSessions();
    const revocations = new SessionRevocations(600_000);
    const checked = new RevocationCheckingVerifier(verifier, revocations);
    const { token, session } = mint({ tenantId: 't1', role: 'admin' });
    await expect(checked.verify(token)).resolves.toMatchObject({ sessionId: session.sessionId, issuedAt: expect.any(Number) });
    revocations.apply({ tenantId: 't1', subjectId: session.subjectId, sessionIds: [], notBeforeMs: Date.now() + 1000, atMs: Date.now() });
    const refused = await checked.verify(token).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(SessionRevoked);
    expect(refused).toBeInstanceOf(TokenError);
  });
});
