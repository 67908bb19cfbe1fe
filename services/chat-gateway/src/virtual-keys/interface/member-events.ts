import { eventsV1, type tenantV1 } from '@enclave/proto';
import type { EventHandler } from '@enclave/eventing';
import type { RevokeMemberKeys } from '../application/revoke-member-keys';
import { keysToRevokeFor, type MembershipFact } from '../domain/key-authority';

/** Tenant's MemberRemoved / MemberRoleChanged (shared consumer group): the creator's keys end. */
export function memberKeysHandler(revokeMemberKeys: RevokeMemberKeys): EventHandler<tenantV1.TenantEvent> {
  return async (event) => {
    const fact = membershipFactOf(event.payload);
    const subjectId = fact && keysToRevokeFor(fact);
    if (!subjectId) return;
    // Recorded as revoked by whoever removed or demoted the person (the tenant service otherwise).
    const person = event.actor.kind === eventsV1.ActorKind.ACTOR_KIND_PERSON && event.actor.id;
    const actor = person ? { subjectId: event.actor.id, role: event.actor.role } : { subjectId: '', role: 'service:tenant' };
    await revokeMemberKeys.execute(event.tenantId, subjectId, actor);
  };
}

function membershipFactOf(message: tenantV1.TenantEvent): MembershipFact | null {
  const event = message.event;
  if (event?.$case === 'memberRemoved' && event.value.subjectId) return { type: 'MemberRemoved', subjectId: event.value.subjectId };
  if (event?.$case === 'memberRoleChanged' && event.value.subjectId) return { type: 'MemberRoleChanged', subjectId: event.value.subjectId, role: event.value.role };
  return null;
}
