// How does each tenant fact change auth's read models, and which ones call for an invitation?
import { outcomeOf } from './tenant-facts';

describe('tenant facts', () => {
  it('InstanceCreated records the instance name and owner', () => {
    expect(outcomeOf({ type: 'InstanceCreated', instanceName: 'Acme', ownerSubjectId: 'o1' })).toEqual({
      update: { target: 'tenant', instanceName: 'Acme', ownerSubjectId: 'o1' },
    });
  });

  it('SettingsChanged renames the instance and keeps the owner', () => {
    expect(outcomeOf({ type: 'SettingsChanged', instanceName: 'Acme 2' })).toEqual({ update: { target: 'tenant', instanceName: 'Acme 2' } });
  });

  it('MemberAdded activates the membership with its role and invites the member', () => {
    expect(outcomeOf({ type: 'MemberAdded', subjectId: 's1', role: 'auditor' })).toEqual({
      update: { target: 'membership', subjectId: 's1', role: 'auditor', active: true },
      invite: { subjectId: 's1', role: 'auditor' },
    });
  });

  it('MemberRemoved deactivates the membership, ends the member\'s sessions and invites nobody', () => {
    expect(outcomeOf({ type: 'MemberRemoved', subjectId: 's1' })).toEqual({
      update: { target: 'membership', subjectId: 's1', active: false },
      sessions: [{ subjectId: 's1', change: 'removed' }],
    });
  });

  it('MemberRoleChanged gives the membership its new role, makes the sessions refresh to carry it, and invites nobody', () => {
    expect(outcomeOf({ type: 'MemberRoleChanged', subjectId: 's1', role: 'owner' })).toEqual({
      update: { target: 'membership', subjectId: 's1', role: 'owner', active: true },
      sessions: [{ subjectId: 's1', change: 'role_changed' }],
    });
  });

  it('OwnershipTransferred names the new owner, makes both people\'s sessions refresh, and leaves the instance name alone', () => {
    expect(outcomeOf({ type: 'OwnershipTransferred', fromSubjectId: 'o1', toSubjectId: 'a1' })).toEqual({
      update: { target: 'tenant', ownerSubjectId: 'a1' },
      sessions: [
        { subjectId: 'o1', change: 'role_changed' },
        { subjectId: 'a1', change: 'role_changed' },
      ],
    });
  });
});
