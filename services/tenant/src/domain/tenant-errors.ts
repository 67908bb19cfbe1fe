// Typed refusals of the tenant decider. Messages are safe to show a caller: they name rules,
// never the values (which may be personal data).
export type TenantErrorCode =
  | 'instance_already_exists'
  | 'unknown_tenant'
  | 'member_already_added'
  | 'unknown_member'
  | 'cannot_remove_owner'
  | 'invalid_settings';

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
