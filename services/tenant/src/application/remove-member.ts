import { actingPerson } from './acting-person';
import type { Actor } from './ports';
import { runTenantCommand, type CommandDeps } from './run-tenant-command';

/** An owner or admin removes someone of lower rank, or a person leaves (never the owner); auth reacts by ending their sessions. */
export class RemoveMember {
  constructor(private readonly deps: CommandDeps) {}

  async execute(input: { tenantId: string; subjectId: string; actor: Actor }): Promise<void> {
    await runTenantCommand(this.deps, input.tenantId, { type: 'RemoveMember', subjectId: input.subjectId, by: actingPerson(input.actor) }, input.actor);
  }
}
