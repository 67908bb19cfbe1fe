import { UnknownTenantError } from '../domain';
import { actingPerson } from './acting-person';
import type { Actor } from './ports';
import { runTenantCommand, type CommandDeps } from './run-tenant-command';

export interface TransferView {
  fromSubjectId: string;
  toSubjectId: string;
}

/**
 * Ownership changes hands in two recorded steps: the owner offers it to an admin
 * (OwnershipTransferProposed), the admin accepts (OwnershipTransferred, then both roles swap).
 * Either side may end an open offer (OwnershipTransferCancelled). Every step is a tenant event,
 * so the audit log holds who offered, who accepted and when.
 */
export class OwnershipTransfer {
  constructor(private readonly deps: CommandDeps) {}

  async propose(input: { tenantId: string; toSubjectId: string; actor: Actor }): Promise<TransferView> {
    const command = { type: 'ProposeOwnershipTransfer' as const, toSubjectId: input.toSubjectId, by: actingPerson(input.actor) };
    const outcome = await runTenantCommand(this.deps, input.tenantId, command, input.actor);
    return outcome.state.pendingTransfer!;
  }

  async accept(input: { tenantId: string; actor: Actor }): Promise<TransferView> {
    const command = { type: 'AcceptOwnershipTransfer' as const, by: actingPerson(input.actor) };
    const outcome = await runTenantCommand(this.deps, input.tenantId, command, input.actor);
    const done = outcome.recorded.map((r) => r.event).find((e) => e.type === 'OwnershipTransferred');
    if (done?.type !== 'OwnershipTransferred') throw new Error('an accepted transfer recorded no OwnershipTransferred');
    return { fromSubjectId: done.fromSubjectId, toSubjectId: done.toSubjectId };
  }

  async cancel(input: { tenantId: string; actor: Actor }): Promise<void> {
    const command = { type: 'CancelOwnershipTransfer' as const, by: actingPerson(input.actor) };
    await runTenantCommand(this.deps, input.tenantId, command, input.actor);
  }

  /** The open offer, shown to the owner and admins; null when there is none. */
  async pending(tenantId: string): Promise<TransferView | null> {
    const { state } = await this.deps.store.load(tenantId);
    if (!state.created) throw new UnknownTenantError();
    return state.pendingTransfer;
  }
}
