import type { MeteringFact } from '../domain/metering-fact';

/**
 * Where metering facts go. publish() resolves only once the fact is durable (acknowledged by the
 * broker, or stored): a front door tells its client "complete" or "refused" only after that.
 */
export interface FactSink {
  /** Rejects with FactsUnavailableError when the fact is not durable (saturated, broker down). */
  publish(fact: MeteringFact): Promise<void>;
  /** Set while new metered work should be shed (503 + Retry-After) rather than started. */
  refusal(): FactsUnavailableError | undefined;
}

/** Facts cannot be made durable right now: the caller answers 503 with Retry-After, never drops. */
export class FactsUnavailableError extends Error {
  override readonly name = 'FactsUnavailableError';
  constructor(
    readonly retryAfterSec: number,
    message = 'the gateway cannot record usage right now; retry shortly',
  ) {
    super(message);
  }
}
