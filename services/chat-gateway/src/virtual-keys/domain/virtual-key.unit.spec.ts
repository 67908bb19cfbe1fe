// Given a virtual key's state, what does creating or revoking it decide?
import { decide, evolve, initialVirtualKeyState, VirtualKeyExistsError, VirtualKeyNotFoundError, type VirtualKeyCommand } from './virtual-key';

const actor = { subjectId: 'sub-admin', role: 'admin' };
const limits = { rateLimitPerMinute: 60, monthlyTokenLimit: null, allowedModels: [] };
const create: VirtualKeyCommand = { type: 'CreateVirtualKey', tenantId: 't1', keyId: 'k1', actor, limits };
const revoke: VirtualKeyCommand = { type: 'RevokeVirtualKey', tenantId: 't1', keyId: 'k1', actor };
const created = evolve(initialVirtualKeyState, decide(create, initialVirtualKeyState)[0]!);

describe('virtual key decider', () => {
  it('creates a key once', () => {
    expect(decide(create, initialVirtualKeyState)).toEqual([{ type: 'VirtualKeyCreated', tenantId: 't1', keyId: 'k1', actor, limits }]);
    expect(created).toEqual({ status: 'active', tenantId: 't1', keyId: 'k1', limits });
    expect(() => decide(create, created)).toThrow(VirtualKeyExistsError);
  });

  it('revokes an active key, then revoking again changes nothing', () => {
    const events = decide(revoke, created);
    expect(events).toEqual([{ type: 'VirtualKeyRevoked', tenantId: 't1', keyId: 'k1', actor }]);
    const revoked = evolve(created, events[0]!);
    expect(revoked).toEqual({ status: 'revoked', tenantId: 't1', keyId: 'k1' });
    expect(decide(revoke, revoked)).toEqual([]);
  });

  it("treats an unknown key and another tenant's key alike: not found", () => {
    expect(() => decide(revoke, initialVirtualKeyState)).toThrow(VirtualKeyNotFoundError);
    expect(() => decide({ ...revoke, tenantId: 't2' }, created)).toThrow(VirtualKeyNotFoundError);
  });
});
