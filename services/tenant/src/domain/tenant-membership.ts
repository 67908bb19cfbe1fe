import { decideActOn, mayGrant } from '@enclave/session';
import type {
  AcceptOwnershipTransfer,
  AddMember,
  CancelOwnershipTransfer,
  ChangeMemberRole,
  MembershipCommand,
  ProposeOwnershipTransfer,
  RemoveMember,
} from './tenant-commands';
import {
  CannotRemoveOwnerError,
  MemberAlreadyAddedError,
  NoPendingTransferError,
  NotAMemberError,
  OwnerRoleFixedError,
  RankTooLowError,
  TransferNotAllowedError,
  UnknownMemberError,
} from './tenant-errors';
import type { TenantEvent } from './tenant-events';
import type { TenantRole } from './tenant-role';
import type { TenantState } from './tenant-state';

// Who may change whose membership. Every rule ranks the actor by their role in the state (not
// by what their session claims) with the one rank rule of @enclave/session: nobody acts on an
// account of equal or higher rank but their own, and nobody grants a role at or above their own.
// Ownership never comes from a role change: the owner offers it to an admin, who accepts.

export function decideMembership(command: MembershipCommand, state: TenantState): TenantEvent[] {
  switch (command.type) {
    case 'AddMember':
      return addMember(command, state);
    case 'RemoveMember':
      return removeMember(command, state);
    case 'ChangeMemberRole':
      return changeMemberRole(command, state);
    case 'ProposeOwnershipTransfer':
      return proposeTransfer(command, state);
    case 'AcceptOwnershipTransfer':
      return acceptTransfer(command, state);
    case 'CancelOwnershipTransfer':
      return cancelTransfer(command, state);
    default: {
      const unhandled: never = command;
      throw new Error(`unhandled membership command ${(unhandled as { type: string }).type}`);
    }
  }
}

function addMember(command: AddMember, state: TenantState): TenantEvent[] {
  requireGrant(actorRole(state, command.by), command.role);
  const current = state.members.get(command.subjectId);
  if (current === command.role) return [];
  if (current !== undefined) throw new MemberAlreadyAddedError();
  return [{ type: 'MemberAdded', subjectId: command.subjectId, role: command.role }];
}

function removeMember(command: RemoveMember, state: TenantState): TenantEvent[] {
  const by = actorRole(state, command.by);
  const target = state.members.get(command.subjectId);
  if (target === undefined) throw new UnknownMemberError();
  if (command.subjectId === state.ownerSubjectId) throw new CannotRemoveOwnerError();
  requireActOn(command.by, by, command.subjectId, target);
  return [{ type: 'MemberRemoved', subjectId: command.subjectId }];
}

function changeMemberRole(command: ChangeMemberRole, state: TenantState): TenantEvent[] {
  const by = actorRole(state, command.by);
  const target = state.members.get(command.subjectId);
  if (target === undefined) throw new UnknownMemberError();
  if (target === 'owner') {
    // Someone else is refused by rank (the owner outranks them); the owner themself by this rule.
    requireActOn(command.by, by, command.subjectId, target);
    throw new OwnerRoleFixedError();
  }
  requireActOn(command.by, by, command.subjectId, target);
  requireGrant(by, command.role);
  if (target === command.role) return [];
  return [{ type: 'MemberRoleChanged', subjectId: command.subjectId, role: command.role }];
}

function proposeTransfer(command: ProposeOwnershipTransfer, state: TenantState): TenantEvent[] {
  if (actorRole(state, command.by) !== 'owner') throw new TransferNotAllowedError('only the owner may transfer ownership');
  if (state.members.get(command.toSubjectId) !== 'admin') {
    throw new TransferNotAllowedError('ownership can be offered only to an admin of the tenant');
  }
  const pending = state.pendingTransfer;
  if (pending?.toSubjectId === command.toSubjectId) return [];
  const proposed: TenantEvent = { type: 'OwnershipTransferProposed', fromSubjectId: command.by, toSubjectId: command.toSubjectId };
  return pending ? [{ type: 'OwnershipTransferCancelled', ...pending }, proposed] : [proposed];
}

function acceptTransfer(command: AcceptOwnershipTransfer, state: TenantState): TenantEvent[] {
  actorRole(state, command.by);
  const pending = state.pendingTransfer;
  if (!pending || pending.toSubjectId !== command.by) throw new NoPendingTransferError();
  const { fromSubjectId, toSubjectId } = pending;
  return [
    { type: 'OwnershipTransferred', fromSubjectId, toSubjectId },
    { type: 'MemberRoleChanged', subjectId: toSubjectId, role: 'owner' },
    { type: 'MemberRoleChanged', subjectId: fromSubjectId, role: 'admin' },
  ];
}

function cancelTransfer(command: CancelOwnershipTransfer, state: TenantState): TenantEvent[] {
  actorRole(state, command.by);
  const pending = state.pendingTransfer;
  if (!pending || (pending.fromSubjectId !== command.by && pending.toSubjectId !== command.by)) throw new NoPendingTransferError();
  return [{ type: 'OwnershipTransferCancelled', ...pending }];
}

/** The actor's current role; a person who is not (or no longer) a member may do nothing here. */
function actorRole(state: TenantState, subjectId: string): TenantRole {
  const role = state.members.get(subjectId);
  if (role === undefined) throw new NotAMemberError();
  return role;
}

function requireActOn(actorId: string, actorRole: TenantRole, targetId: string, targetRole: TenantRole): void {
  const decision = decideActOn({ subjectId: actorId, role: actorRole }, { subjectId: targetId, role: targetRole });
  if (!decision.allowed) throw new RankTooLowError(decision.message);
}

function requireGrant(actorRole: TenantRole, role: TenantRole): void {
  if (!mayGrant(actorRole, role)) {
    throw new RankTooLowError(role === 'owner' ? 'ownership changes hands only by an accepted transfer' : 'you may grant only roles below your own');
  }
}
