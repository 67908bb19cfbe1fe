// When a membership changes, whose virtual keys end?
import { keysToRevokeFor } from './key-authority';

describe('keysToRevokeFor', () => {
  it('revokes the keys a removed person created', () => {
    expect(keysToRevokeFor({ type: 'MemberRemoved', subjectId: 'a1' })).toBe('a1');
  });

  it('revokes the keys of an admin demoted to member or auditor', () => {
    expect(keysToRevokeFor({ type: 'MemberRoleChanged', subjectId: 'a1', role: 'member' })).toBe('a1');
    expect(keysToRevokeFor({ type: 'MemberRoleChanged', subjectId: 'a1', role: 'auditor' })).toBe('a1');
  });

  it('keeps the keys of someone who still manages keys', () => {
    expect(keysToRevokeFor({ type: 'MemberRoleChanged', subjectId: 'a1', role: 'admin' })).toBeNull();
    expect(keysToRevokeFor({ type: 'MemberRoleChanged', subjectId: 'o1', role: 'owner' })).toBeNull();
  });
});
