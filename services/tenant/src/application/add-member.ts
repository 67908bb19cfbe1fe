import { decide, UnknownTenantError, type AssignableRole } from '../domain';
import type { AccountRegistry, Actor } from './ports';
import { actingPerson } from './acting-person';
import { runTenantCommand, type CommandDeps } from './run-tenant-command';

export interface AddMemberInput {
  tenantId: string;
  /** Validated and lower-cased by the interface; passed to auth only. */
  email: string;
  name: string;
  role: AssignableRole;
  actor: Actor;
}

export interface AddMemberDeps extends CommandDeps {
  accounts: AccountRegistry;
}

/**
 * An admin adds a person by email: auth finds or creates the account (same email → same
 * subject id), then MemberAdded is recorded. Adding someone again with the same role is a
 * no-op that answers the same; with another role it is refused (MemberAlreadyAddedError). Only
 * roles below the actor's current one may be given (an admin adds auditors and members).
 */
export class AddMember {
  constructor(private readonly deps: AddMemberDeps) {}

  async execute(input: AddMemberInput): Promise<{ subjectId: string; role: AssignableRole; added: boolean }> {
    const by = actingPerson(input.actor);
    const { state } = await this.deps.store.load(input.tenantId);
    if (!state.created) throw new UnknownTenantError();
    // Refuse a role the actor may not grant before an account is created in auth for nothing.
    decide({ type: 'AddMember', subjectId: '', role: input.role, by }, state);

    const { subjectId } = await this.deps.accounts.registerAccount({
      tenantId: input.tenantId,
      email: input.email,
      displayName: input.name,
    });
    const outcome = await runTenantCommand(
      this.deps,
      input.tenantId,
      { type: 'AddMember', subjectId, role: input.role, by },
      input.actor,
    );
    return { subjectId, role: input.role, added: outcome.recorded.length > 0 };
  }
}
