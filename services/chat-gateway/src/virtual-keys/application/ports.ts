import type { NewEvent } from '@enclave/eventing';

/** The part of EventStore the virtual-key use cases need. */
export interface KeyEventAppender {
  append(streamId: string, expectedVersion: number, events: readonly NewEvent[]): Promise<unknown>;
}
