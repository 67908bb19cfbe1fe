import { ConcurrencyError } from '@enclave/eventing';
import { decide, type SecretCommand } from '../domain/secret/secret.decider';
import type { SecretState } from '../domain/secret/secret.state';
import type { Actor, EventPublisher, SecretRef, SecretStreams } from './ports';

export const MAX_ATTEMPTS = 3;

export interface CommandDeps {
  streams: SecretStreams;
  publisher: EventPublisher;
}

/**
 * Load → decide → append (one write; the read model follows) → nudge the relay. The first
 * attempt decides on the read model (no stream read; the append verifies its version); when
 * another writer appended first, or the read model lagged behind, the stream is loaded and the
 * command decided again, at most MAX_ATTEMPTS times in all.
 */
export async function runSecretCommand(
  deps: CommandDeps,
  ref: SecretRef,
  command: SecretCommand,
  actor: Actor,
  /** The secret id was just generated: its stream is empty, nothing to read first. */
  options: { newStream?: boolean } = {},
): Promise<{ state: SecretState | null; version: number }> {
  for (let attempt = 1; ; attempt++) {
    const current =
      attempt > 1 ? await deps.streams.load(ref) : options.newStream ? { state: null, version: 0 } : await deps.streams.snapshot(ref);
    const events = decide(command, current.state);
    if (events.length === 0) return current;
    try {
      const next = await deps.streams.append(ref, current, events, actor);
      deps.publisher.nudge();
      return next;
    } catch (error) {
      if (error instanceof ConcurrencyError && attempt < MAX_ATTEMPTS) continue;
      throw error;
    }
  }
}
