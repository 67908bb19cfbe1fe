// Does a session minted the way auth signs it pass the guard, and does every bad case get the right status?
import { ForbiddenException, NotFoundException, UnauthorizedException, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { SessionGuard, extractSessionToken } from './session.guard';
import { testSessions } from './test-sessions';
import { ROLES_KEY } from './tokens';
import type { Role, SessionClaims } from './session-claims';

function contextFor(headers: Record<string, string>, params: Record<string, string> = {}, roles?: Role[]) {
  const request: { headers: Record<string, string>; params: Record<string, string>; enclaveSession?: SessionClaims } = { headers, params };
  const handler = () => undefined;
  if (roles) Reflect.defineMetadata(ROLES_KEY, roles, handler);
  const ctx = {
    switchToHttp: () => ({ getRequest: () => request }),
    getHandler: () => handler,
    getClass: () => class {},
  } as unknown as ExecutionContext;
  return { ctx, request };
}

describe('session guard', () => {
  const { verifier, mint } = testSessions();
  const guard = new SessionGuard(verifier, new Reflector());

  it('accepts a bearer token and exposes the claims', async () => {
    const { token, session } = mint({ tenantId: 't1', role: 'member' });
    const { ctx, request } = contextFor({ authorization: `Bearer ${token}` }, { tenantId: 't1' });
    await expect(guard.canActivate(ctx)).resolves.toBe(true);
    expect(request.enclaveSession).toEqual(session);
  });

  it('accepts the session cookie', async () => {
    const { token } = mint({ tenantId: 't1', role: 'admin' });
    const { ctx } = contextFor({ cookie: `other=1; enclave_session=${token}` });
    await expect(guard.canActivate(ctx)).resolves.toBe(true);
  });

  it('answers 401 without a token, with a tampered one, and with one from other keys', async () => {
    const { token } = mint({ tenantId: 't1', role: 'member' });
    const tampered = token.slice(0, -3) + (token.endsWith('AAA') ? 'BBB' : 'AAA');
    const foreign = testSessions().mint({ tenantId: 't1', role: 'member' }).token;
    const cases: Record<string, string>[] = [{}, { authorization: `Bearer ${tampered}` }, { authorization: `Bearer ${foreign}` }];
    for (const headers of cases) {
      await expect(guard.canActivate(contextFor(headers).ctx)).rejects.toBeInstanceOf(UnauthorizedException);
    }
  });

  it('answers 401, not a crash, for a cookie whose percent-encoding is malformed', async () => {
    const { ctx } = contextFor({ cookie: 'enclave_session=%E0%A4%A' });
    await expect(guard.canActivate(ctx)).rejects.toBeInstanceOf(UnauthorizedException);
  });

  it('answers 401 for an expired session', async () => {
    const { token } = mint({ tenantId: 't1', role: 'member', ttlMs: -120_000 });
    await expect(guard.canActivate(contextFor({ authorization: `Bearer ${token}` }).ctx)).rejects.toBeInstanceOf(UnauthorizedException);
  });

  it("answers 404 when the route names another tenant's id", async () => {
    const { token } = mint({ tenantId: 't1', role: 'owner' });
    const { ctx } = contextFor({ authorization: `Bearer ${token}` }, { tenantId: 't2' });
    await expect(guard.canActivate(ctx)).rejects.toBeInstanceOf(NotFoundException);
  });

  it('answers 403 when the role is not allowed', async () => {
    const { token } = mint({ tenantId: 't1', role: 'member' });
    const { ctx } = contextFor({ authorization: `Bearer ${token}` }, { tenantId: 't1' }, ['owner', 'admin']);
    await expect(guard.canActivate(ctx)).rejects.toBeInstanceOf(ForbiddenException);
  });
});

describe('extractSessionToken', () => {
  it('prefers the bearer token and ignores unrelated cookies', () => {
    expect(extractSessionToken({ authorization: 'Bearer abc', cookie: 'enclave_session=def' })).toBe('abc');
    expect(extractSessionToken({ cookie: 'a=b; enclave_session=def' })).toBe('def');
    expect(extractSessionToken({ cookie: 'enclave_sessionx=def' })).toBeUndefined();
    expect(extractSessionToken({ authorization: 'Basic abc' })).toBeUndefined();
  });
});
