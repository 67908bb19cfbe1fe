// Typed refusals of the tenant decider. Messages are safe to show a caller: they name rules,
// never the values (which may be personal data).
export type TenantErrorCode =
  | 'instance_already_exists'
  | 'unknown_tenant'
  | 'member_already_added'
  | 'unknown_member'
  | 'cannot_remove_owner'
  | 'invalid_settings'
  | 'rank_too_low'
  | 'not_a_member'
  | 'owner_role_fixed'
  | 'transfer_not_allowed'
  | 'no_pending_transfer';

export abstract class TenantDomainError extends Error {
  abstract readonly code: TenantErrorCode;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export class InstanceAlreadyExistsError extends TenantDomainError {
  readonly code = 'instance_already_exists' as const;
  constructor() {
    super('the instance already exists');
  }
}

export class UnknownTenantError extends TenantDomainError {
  readonly code = 'unknown_tenant' as const;
  constructor() {
    super('tenant not found');
  }
}

export class MemberAlreadyAddedError extends TenantDomainError {
  readonly code = 'member_already_added' as const;
  constructor() {
    super('this person is already a member with another role');
  }
}

export class UnknownMemberError extends TenantDomainError {
  readonly code = 'unknown_member' as const;
  constructor() {
    super('member not found');
  }
}

export class CannotRemoveOwnerError extends TenantDomainError {
  readonly code = 'cannot_remove_owner' as const;
  constructor() {
    super('the owner cannot be removed');
  }
}

export class InvalidSettingsError extends TenantDomainError {
  readonly code = 'invalid_settings' as const;
  constructor(readonly problems: string[]) {
    super(`invalid settings: ${problems.join('; ')}`);
  }
}

/** The actor may not act on this person or grant this role (see @enclave/session role-rank). */
export class RankTooLowError extends TenantDomainError {
  readonly code = 'rank_too_low' as const;
}

/** The actor is no longer (or never was) a member of the tenant. */
export class NotAMemberError extends TenantDomainError {
  readonly code = 'not_a_member' as const;
  constructor() {
    super('you are not a member of this tenant');
  }
}

export class OwnerRoleFixedError extends TenantDomainError {
  readonly code = 'owner_role_fixed' as const;
  constructor() {
    super("the owner's role changes only by an accepted ownership transfer");
  }
}

/** Who may offer ownership (the owner) and to whom (one of the tenant's admins). */
export class TransferNotAllowedError extends TenantDomainError {
  readonly code = 'transfer_not_allowed' as const;
}

export class NoPendingTransferError extends TenantDomainError {
  readonly code = 'no_pending_transfer' as const;
  constructor() {
    super('no ownership transfer is waiting for you');
  }
}
