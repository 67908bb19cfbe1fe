import { ConcurrencyError } from '@enclave/eventing';
import { decide, fold, type TenantCommand, type TenantState } from '../domain';
import type { Actor, EventPublisher, RecordedTenantEvent, TenantEventStore, TenantProjections } from './ports';

export const MAX_ATTEMPTS = 3;

export interface CommandDeps {
  store: TenantEventStore;
  projections: TenantProjections;
  publisher: EventPublisher;
}

export interface CommandOutcome {
  /** The aggregate after the command (unchanged when it decided nothing). */
  state: TenantState;
  version: number;
  recorded: RecordedTenantEvent[];
}

/**
 * Load → decide → append (one write) → nudge the relay → project. When another writer appended
 * first (ConcurrencyError) the stream is reloaded and the command decided again, at most
 * MAX_ATTEMPTS times in all; domain errors are thrown as they are.
 */
export async function runTenantCommand(
  deps: CommandDeps,
  tenantId: string,
  command: TenantCommand,
  actor: Actor,
): Promise<CommandOutcome> {
  for (let attempt = 1; ; attempt++) {
    const { state, version } = await deps.store.load(tenantId);
    const events = decide(command, state);
    if (events.length === 0) return { state, version, recorded: [] };
    let recorded: RecordedTenantEvent[];
    try {
      recorded = await deps.store.append(tenantId, version, events, actor);
    } catch (error) {
      if (error instanceof ConcurrencyError && attempt < MAX_ATTEMPTS) continue;
      throw error;
    }
    deps.publisher.nudge();
    // Read models follow at once so the caller reads its own write; the consumer of our own
    // topic repairs them should the process die right here.
    await deps.projections.apply(recorded);
    return { state: fold(state, events), version: version + events.length, recorded };
  }
}
