import type { AssignableRole } from '../domain';
import { actingPerson } from './acting-person';
import type { Actor } from './ports';
import { runTenantCommand, type CommandDeps } from './run-tenant-command';

/**
 * The owner or an admin gives a member of lower rank another role below their own (an admin:
 * auditor or member; the owner: also admin). The owner's role changes only by transfer.
 */
export class ChangeMemberRole {
  constructor(private readonly deps: CommandDeps) {}

  async execute(input: { tenantId: string; subjectId: string; role: AssignableRole; actor: Actor }): Promise<{ changed: boolean }> {
    const command = { type: 'ChangeMemberRole' as const, subjectId: input.subjectId, role: input.role, by: actingPerson(input.actor) };
    const outcome = await runTenantCommand(this.deps, input.tenantId, command, input.actor);
    return { changed: outcome.recorded.length > 0 };
  }
}
