// Do role changes and the two-sided ownership transfer follow the rank rule, and can nothing but an accepted offer make an owner?
import type { TenantCommand } from './tenant-commands';
import { decide, fold } from './tenant-decider';
import {
  NoPendingTransferError,
  NotAMemberError,
  OwnerRoleFixedError,
  RankTooLowError,
  TransferNotAllowedError,
  UnknownMemberError,
} from './tenant-errors';
import type { TenantEvent } from './tenant-events';
import type { AssignableRole } from './tenant-role';
import { initialTenantState } from './tenant-state';

const OWNER = 'subj-owner';
const ADMIN = 'subj-admin';
const ADMIN_2 = 'subj-admin-2';
const MEMBER = 'subj-member';
const AUDITOR = 'subj-auditor';

const tenant: TenantEvent[] = [
  { type: 'InstanceCreated', instanceName: 'Acme', ownerSubjectId: OWNER },
  { type: 'MemberAdded', subjectId: OWNER, role: 'owner' },
  { type: 'MemberAdded', subjectId: ADMIN, role: 'admin' },
  { type: 'MemberAdded', subjectId: ADMIN_2, role: 'admin' },
  { type: 'MemberAdded', subjectId: MEMBER, role: 'member' },
  { type: 'MemberAdded', subjectId: AUDITOR, role: 'auditor' },
];

function given(...events: TenantEvent[]) {
  const state = fold(initialTenantState, events);
  return {
    when: (command: TenantCommand) => ({
      then: (expected: TenantEvent[]) => expect(decide(command, state)).toEqual(expected),
      thenThrows: (error: new (...args: never[]) => Error, message?: string) => {
        expect(() => decide(command, state)).toThrow(error);
        if (message) expect(() => decide(command, state)).toThrow(message);
      },
    }),
  };
}

const change = (subjectId: string, role: AssignableRole, by: string): TenantCommand => ({ type: 'ChangeMemberRole', subjectId, role, by });
const propose = (toSubjectId: string, by = OWNER): TenantCommand => ({ type: 'ProposeOwnershipTransfer', toSubjectId, by });
const accept = (by: string): TenantCommand => ({ type: 'AcceptOwnershipTransfer', by });
const cancel = (by: string): TenantCommand => ({ type: 'CancelOwnershipTransfer', by });
const proposed: TenantEvent = { type: 'OwnershipTransferProposed', fromSubjectId: OWNER, toSubjectId: ADMIN };

describe('ChangeMemberRole', () => {
  it('lets the owner promote a member to admin and demote an admin', () => {
    given(...tenant).when(change(MEMBER, 'admin', OWNER)).then([{ type: 'MemberRoleChanged', subjectId: MEMBER, role: 'admin' }]);
    given(...tenant).when(change(ADMIN, 'member', OWNER)).then([{ type: 'MemberRoleChanged', subjectId: ADMIN, role: 'member' }]);
  });
  it('lets an admin move people between member and auditor', () => {
    given(...tenant).when(change(MEMBER, 'auditor', ADMIN)).then([{ type: 'MemberRoleChanged', subjectId: MEMBER, role: 'auditor' }]);
    given(...tenant).when(change(AUDITOR, 'member', ADMIN)).then([{ type: 'MemberRoleChanged', subjectId: AUDITOR, role: 'member' }]);
  });
  it('refuses an admin promoting anyone to admin, or changing another admin', () => {
    given(...tenant).when(change(MEMBER, 'admin', ADMIN)).thenThrows(RankTooLowError, 'you may grant only roles below your own');
    given(...tenant).when(change(ADMIN_2, 'member', ADMIN)).thenThrows(RankTooLowError, 'an admin may not act on an account of equal or higher rank');
  });
  it("refuses anyone changing the owner's role, the owner included", () => {
    given(...tenant).when(change(OWNER, 'member', ADMIN)).thenThrows(RankTooLowError, "nobody but the owner may act on the owner's account");
    given(...tenant).when(change(OWNER, 'admin', OWNER)).thenThrows(OwnerRoleFixedError);
  });
  it('lets an admin step down but never a member step up', () => {
    given(...tenant).when(change(ADMIN, 'member', ADMIN)).then([{ type: 'MemberRoleChanged', subjectId: ADMIN, role: 'member' }]);
    given(...tenant).when(change(MEMBER, 'admin', MEMBER)).thenThrows(RankTooLowError);
  });
  it('yields nothing when the role is already the one asked for', () => {
    given(...tenant).when(change(MEMBER, 'member', ADMIN)).then([]);
  });
  it('refuses an unknown target and an actor who is not a member', () => {
    given(...tenant).when(change('subj-nobody', 'member', ADMIN)).thenThrows(UnknownMemberError);
    given(...tenant).when(change(MEMBER, 'auditor', 'subj-nobody')).thenThrows(NotAMemberError);
  });
});

describe('ownership transfer', () => {
  it('is offered by the owner to an admin, and changes nothing until accepted', () => {
    given(...tenant).when(propose(ADMIN)).then([proposed]);
    const state = fold(initialTenantState, [...tenant, proposed]);
    expect(state.ownerSubjectId).toBe(OWNER);
    expect(state.members.get(ADMIN)).toBe('admin');
    expect(state.pendingTransfer).toEqual({ fromSubjectId: OWNER, toSubjectId: ADMIN });
  });
  it('swaps the two roles when the named admin accepts', () => {
    given(...tenant, proposed)
      .when(accept(ADMIN))
      .then([
        { type: 'OwnershipTransferred', fromSubjectId: OWNER, toSubjectId: ADMIN },
        { type: 'MemberRoleChanged', subjectId: ADMIN, role: 'owner' },
        { type: 'MemberRoleChanged', subjectId: OWNER, role: 'admin' },
      ]);
    const after = fold(initialTenantState, [...tenant, proposed, ...decide(accept(ADMIN), fold(initialTenantState, [...tenant, proposed]))]);
    expect(after.ownerSubjectId).toBe(ADMIN);
    expect(after.members.get(ADMIN)).toBe('owner');
    expect(after.members.get(OWNER)).toBe('admin');
    expect(after.pendingTransfer).toBeNull();
  });
  it('gives the new owner the owner\'s powers and takes them from the former owner', () => {
    const transferred: TenantEvent[] = [
      ...tenant,
      proposed,
      { type: 'OwnershipTransferred', fromSubjectId: OWNER, toSubjectId: ADMIN },
      { type: 'MemberRoleChanged', subjectId: ADMIN, role: 'owner' },
      { type: 'MemberRoleChanged', subjectId: OWNER, role: 'admin' },
    ];
    given(...transferred).when(change(OWNER, 'member', ADMIN)).then([{ type: 'MemberRoleChanged', subjectId: OWNER, role: 'member' }]);
    given(...transferred).when(change(ADMIN, 'member', OWNER)).thenThrows(RankTooLowError);
    given(...transferred).when(propose(ADMIN_2, OWNER)).thenThrows(TransferNotAllowedError);
  });
  it('refuses an offer by anyone but the owner', () => {
    given(...tenant).when(propose(ADMIN_2, ADMIN)).thenThrows(TransferNotAllowedError, 'only the owner may transfer ownership');
    given(...tenant).when(propose(ADMIN, MEMBER)).thenThrows(TransferNotAllowedError);
  });
  it('refuses an offer to anyone but an admin of the tenant', () => {
    for (const to of [MEMBER, AUDITOR, OWNER, 'subj-nobody']) {
      given(...tenant).when(propose(to)).thenThrows(TransferNotAllowedError, 'ownership can be offered only to an admin of the tenant');
    }
  });
  it('refuses acceptance by anyone but the admin named, and without an offer', () => {
    given(...tenant).when(accept(ADMIN)).thenThrows(NoPendingTransferError);
    given(...tenant, proposed).when(accept(ADMIN_2)).thenThrows(NoPendingTransferError);
    given(...tenant, proposed).when(accept(OWNER)).thenThrows(NoPendingTransferError);
    given(...tenant, proposed).when(accept('subj-nobody')).thenThrows(NotAMemberError);
  });
  it('repeats an identical offer as nothing, and replaces an offer to someone else in the record', () => {
    given(...tenant, proposed).when(propose(ADMIN)).then([]);
    given(...tenant, proposed)
      .when(propose(ADMIN_2))
      .then([
        { type: 'OwnershipTransferCancelled', fromSubjectId: OWNER, toSubjectId: ADMIN },
        { type: 'OwnershipTransferProposed', fromSubjectId: OWNER, toSubjectId: ADMIN_2 },
      ]);
  });
  it('is withdrawn by the owner or declined by the admin, and by nobody else', () => {
    const cancelled: TenantEvent = { type: 'OwnershipTransferCancelled', fromSubjectId: OWNER, toSubjectId: ADMIN };
    given(...tenant, proposed).when(cancel(OWNER)).then([cancelled]);
    given(...tenant, proposed).when(cancel(ADMIN)).then([cancelled]);
    given(...tenant, proposed).when(cancel(ADMIN_2)).thenThrows(NoPendingTransferError);
    given(...tenant).when(cancel(OWNER)).thenThrows(NoPendingTransferError);
    given(...tenant, proposed, cancelled).when(accept(ADMIN)).thenThrows(NoPendingTransferError);
  });
  it('lapses when the admin named is demoted or removed', () => {
    given(...tenant, proposed, { type: 'MemberRoleChanged', subjectId: ADMIN, role: 'member' }).when(accept(ADMIN)).thenThrows(NoPendingTransferError);
    given(...tenant, proposed, { type: 'MemberRemoved', subjectId: ADMIN }).when(accept(ADMIN)).thenThrows(NotAMemberError);
    const removedAndBack: TenantEvent[] = [...tenant, proposed, { type: 'MemberRemoved', subjectId: ADMIN }, { type: 'MemberAdded', subjectId: ADMIN, role: 'admin' }];
    given(...removedAndBack).when(accept(ADMIN)).thenThrows(NoPendingTransferError);
  });
  it('lapses when the owner who made it is erased', () => {
    given(...tenant, proposed, { type: 'MemberRemoved', subjectId: OWNER }).when(accept(ADMIN)).thenThrows(NoPendingTransferError);
  });
  it('is the only way to an owner: no role change and no addition grants it', () => {
    for (const by of [OWNER, ADMIN]) {
      expect(() => decide({ type: 'ChangeMemberRole', subjectId: MEMBER, role: 'owner' as AssignableRole, by }, fold(initialTenantState, tenant))).toThrow(RankTooLowError);
      expect(() => decide({ type: 'AddMember', subjectId: 'subj-new', role: 'owner' as AssignableRole, by }, fold(initialTenantState, tenant))).toThrow(RankTooLowError);
    }
  });
});
