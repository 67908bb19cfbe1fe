import type { SettingsChanges } from '../domain';
import type { Actor, SettingsView } from './ports';
import { runTenantCommand, type CommandDeps } from './run-tenant-command';

/** An admin changes some settings; SettingsChanged carries all of them afterwards. */
export class ChangeSettings {
  constructor(private readonly deps: CommandDeps) {}

  async execute(input: { tenantId: string; changes: SettingsChanges; actor: Actor }): Promise<SettingsView> {
    const outcome = await runTenantCommand(
      this.deps,
      input.tenantId,
      { type: 'ChangeSettings', changes: input.changes },
      input.actor,
    );
    return { tenantId: input.tenantId, version: outcome.version, settings: outcome.state.settings };
  }
}
