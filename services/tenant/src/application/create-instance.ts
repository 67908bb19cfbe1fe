import { decide, initialTenantState, type CreateInstance as CreateInstanceCommand } from '../domain';
import type { AccountRegistry } from './ports';
import { runTenantCommand, type CommandDeps } from './run-tenant-command';

export interface CreateInstanceInput {
  instanceName: string;
  /** Already validated and lower-cased by the interface; passed to auth only, never stored here. */
  adminEmail: string;
  adminName: string;
}

export interface CreateInstanceDeps extends CommandDeps {
  accounts: AccountRegistry;
  newTenantId: () => string;
  /** The platform default model every new instance starts with. */
  defaultModel: string;
}

/**
 * Public sign-up: a new tenant whose owner is the admin's account in auth. InstanceCreated,
 * MemberAdded(owner) and SettingsChanged(defaults) go to the new stream in one append; auth
 * reacts to MemberAdded by mailing the owner a login link.
 */
export class CreateInstance {
  constructor(private readonly deps: CreateInstanceDeps) {}

  async execute(input: CreateInstanceInput): Promise<{ tenantId: string; instanceName: string }> {
    const tenantId = this.deps.newTenantId();
    const command = (ownerSubjectId: string): CreateInstanceCommand => ({
      type: 'CreateInstance',
      tenantId,
      instanceName: input.instanceName,
      ownerSubjectId,
      defaultModel: this.deps.defaultModel,
    });
    // Refuse invalid settings before an account is created in auth for nothing.
    decide(command('pending'), initialTenantState);

    const { subjectId } = await this.deps.accounts.registerAccount({
      tenantId,
      email: input.adminEmail,
      displayName: input.adminName,
    });
    await runTenantCommand(this.deps, tenantId, command(subjectId), { kind: 'person', subjectId, role: 'owner' });
    return { tenantId, instanceName: input.instanceName };
  }
}
