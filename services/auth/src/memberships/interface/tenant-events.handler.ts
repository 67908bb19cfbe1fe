import { eventsV1, type tenantV1 } from '@enclave/proto';
import { PoisonError, type ConsumedEvent, type EventHandler } from '@enclave/eventing';
import { assertNever } from '../../shared/assert-never';
import { isRole } from '../../shared/roles';
import type { ActorRef } from '../../shared/application/actor';
import type { TenantFact } from '../domain/tenant-facts';
import type { ApplyTenantFact } from '../application/apply-tenant-fact';
import { MissingAccountError } from '../../login-links/application/link-mailer';

/** Consumes enclave.tenant.events.v1 into auth's read models (and invitations). */
export function tenantEventsHandler(apply: ApplyTenantFact): EventHandler<tenantV1.TenantEvent> {
  return async (event) => {
    const fact = factOf(event.payload);
    if (!fact) return;
    try {
      await apply.execute(fact, { tenantId: event.tenantId, eventId: event.id, version: event.streamVersion, actor: actorOf(event), occurredAtMs: event.occurredAt.getTime() });
    } catch (error) {
      // Tenant registers the account before it adds the member; without one, no retry can help.
      if (error instanceof MissingAccountError) throw new PoisonError(error.message);
      throw error;
    }
  };
}

/**
 * A tenant event auth cannot understand will never become understandable: park it. null for
 * events that change nothing auth keeps (an open ownership offer; tenant's own purge and
 * retention confirmations).
 */
export function factOf(message: tenantV1.TenantEvent): TenantFact | null {
  const event = message.event;
  if (!event) throw new PoisonError('tenant event has no payload');
  switch (event.$case) {
    case 'instanceCreated':
      requireSubject(event.value.ownerSubjectId, 'InstanceCreated');
      return { type: 'InstanceCreated', instanceName: event.value.instanceName, ownerSubjectId: event.value.ownerSubjectId };
    case 'memberAdded':
      requireSubject(event.value.subjectId, 'MemberAdded');
      if (!isRole(event.value.role)) throw new PoisonError('MemberAdded carries an unknown role');
      return { type: 'MemberAdded', subjectId: event.value.subjectId, role: event.value.role };
    case 'memberRemoved':
      requireSubject(event.value.subjectId, 'MemberRemoved');
      return { type: 'MemberRemoved', subjectId: event.value.subjectId };
    case 'memberRoleChanged':
      requireSubject(event.value.subjectId, 'MemberRoleChanged');
      if (!isRole(event.value.role)) throw new PoisonError('MemberRoleChanged carries an unknown role');
      return { type: 'MemberRoleChanged', subjectId: event.value.subjectId, role: event.value.role };
    case 'ownershipTransferred':
      requireSubject(event.value.toSubjectId, 'OwnershipTransferred');
      return { type: 'OwnershipTransferred', fromSubjectId: event.value.fromSubjectId, toSubjectId: event.value.toSubjectId };
    case 'settingsChanged':
      if (!event.value.settings) throw new PoisonError('SettingsChanged carries no settings');
      return settingsFact(event.value.settings);
    case 'ownershipTransferProposed':
    case 'ownershipTransferCancelled':
    case 'subjectDataPurged':
    case 'retentionPurged':
      return null;
    default:
      return assertNever(event);
  }
}

function settingsFact(settings: tenantV1.TenantSettings): TenantFact {
  const days = settings.retention?.securityLogDays;
  return { type: 'SettingsChanged', instanceName: settings.instanceName, ...(days !== undefined && { securityLogDays: days }) };
}

function requireSubject(subjectId: string, type: string): void {
  if (!subjectId) throw new PoisonError(`${type} carries no subject id`);
}

function actorOf(event: ConsumedEvent<tenantV1.TenantEvent>): ActorRef {
  const { actor } = event;
  if (actor.kind === eventsV1.ActorKind.ACTOR_KIND_PERSON && actor.id) {
    return { kind: 'person', subjectId: actor.id, role: isRole(actor.role) ? actor.role : '' };
  }
  return { kind: 'service', name: actor.kind === eventsV1.ActorKind.ACTOR_KIND_SERVICE && actor.id ? actor.id : 'tenant' };
}
