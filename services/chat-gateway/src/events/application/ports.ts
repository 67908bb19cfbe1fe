import type { NewEvent } from '@enclave/eventing';

/** The part of the event store (the outbox) that use cases append through. */
export interface EventAppender {
  append(streamId: string, expectedVersion: number, events: readonly NewEvent[]): Promise<unknown>;
}
