import { ConcurrencyError, type TenantId } from '@enclave/eventing';
import { decide, type ProviderKeyCommand, type ProviderKeyState } from '../domain/provider-key/provider-key.decider';
import type { Actor, EventPublisher, ProviderKeyStreams } from './ports';

export const MAX_ATTEMPTS = 3;

export interface CommandDeps {
  streams: ProviderKeyStreams;
  publisher: EventPublisher;
}

/**
 * Load → decide → append (one write; the read model follows) → nudge the relay. When another
 * writer appended first the stream is reloaded and decided again, at most MAX_ATTEMPTS times.
 */
export async function runProviderKeyCommand(
  deps: CommandDeps,
  tenant: TenantId,
  command: ProviderKeyCommand,
  actor: Actor,
): Promise<{ state: ProviderKeyState | null; version: number }> {
  for (let attempt = 1; ; attempt++) {
    const current = await deps.streams.load(tenant, command.keyId);
    const events = decide(command, current.state);
    if (events.length === 0) return current;
    try {
      const next = await deps.streams.append(tenant, command.keyId, current, events, actor);
      deps.publisher.nudge();
      return next;
    } catch (error) {
      if (error instanceof ConcurrencyError && attempt < MAX_ATTEMPTS) continue;
      throw error;
    }
  }
}
