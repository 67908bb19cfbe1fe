import type { Actor, TenantId } from '@enclave/eventing';
import { decide, type TrailAccessCommand, type TrailAccessEvent } from '../domain/trail-access';

/** Audit's own event store (the outbox relayed to enclave.audit.events.v1). */
export interface TrailAccessStore {
  /** Appends the events as a new access stream of the tenant. */
  appendAccess(tenant: TenantId, subjectId: string, actor: Actor, events: readonly TrailAccessEvent[]): Promise<void>;
}

export class RecordTrailAccess {
  constructor(private readonly store: TrailAccessStore) {}

  async execute(tenant: TenantId, command: TrailAccessCommand, actor: Actor, subjectId = ''): Promise<void> {
    await this.store.appendAccess(tenant, subjectId, actor, decide(command));
  }
}
