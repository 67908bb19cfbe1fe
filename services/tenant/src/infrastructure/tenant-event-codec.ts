import { tenantV1 } from '@enclave/proto';
import { isTenantRole, type TenantEvent, type TenantEventType, type TenantSettings } from '../domain';

// Domain events ↔ the protobuf payload of topic enclave.tenant.events.v1 (tenantV1.TenantEvent).

export const EVENT_TYPE_PREFIX = 'tenant.';

/** Envelope type of a domain event, e.g. "tenant.MemberAdded". */
export function envelopeType(type: TenantEventType): string {
  return `${EVENT_TYPE_PREFIX}${type}`;
}

export class TenantEventDecodeError extends Error {
  override readonly name = 'TenantEventDecodeError';
}

export function toProto(event: TenantEvent): tenantV1.TenantEvent {
  switch (event.type) {
    case 'InstanceCreated':
      return { event: { $case: 'instanceCreated', value: { instanceName: event.instanceName, ownerSubjectId: event.ownerSubjectId } } };
    case 'MemberAdded':
      return { event: { $case: 'memberAdded', value: { subjectId: event.subjectId, role: event.role } } };
    case 'MemberRemoved':
      return { event: { $case: 'memberRemoved', value: { subjectId: event.subjectId } } };
    case 'MemberRoleChanged':
      return { event: { $case: 'memberRoleChanged', value: { subjectId: event.subjectId, role: event.role } } };
    case 'OwnershipTransferProposed':
      return { event: { $case: 'ownershipTransferProposed', value: { fromSubjectId: event.fromSubjectId, toSubjectId: event.toSubjectId } } };
    case 'OwnershipTransferCancelled':
      return { event: { $case: 'ownershipTransferCancelled', value: { fromSubjectId: event.fromSubjectId, toSubjectId: event.toSubjectId } } };
    case 'OwnershipTransferred':
      return { event: { $case: 'ownershipTransferred', value: { fromSubjectId: event.fromSubjectId, toSubjectId: event.toSubjectId } } };
    case 'SettingsChanged':
      return { event: { $case: 'settingsChanged', value: { settings: settingsToProto(event.settings) } } };
    case 'SubjectDataPurged':
      return {
        event: {
          $case: 'subjectDataPurged',
          value: { requestId: event.requestId, subjectId: event.subjectId, recordsDeleted: event.recordsDeleted },
        },
      };
    case 'RetentionPurged':
      return {
        event: {
          $case: 'retentionPurged',
          value: { dataClass: event.dataClass, cutoffMs: event.cutoffMs, recordsDeleted: event.recordsDeleted },
        },
      };
    default:
      return assertNever(event);
  }
}

export function fromProto(message: tenantV1.TenantEvent): TenantEvent {
  const event = message.event;
  if (!event) throw new TenantEventDecodeError('tenant event has no payload');
  switch (event.$case) {
    case 'instanceCreated':
      return { type: 'InstanceCreated', instanceName: event.value.instanceName, ownerSubjectId: event.value.ownerSubjectId };
    case 'memberAdded': {
      const role = event.value.role;
      if (!isTenantRole(role)) throw new TenantEventDecodeError('MemberAdded carries an unknown role');
      return { type: 'MemberAdded', subjectId: event.value.subjectId, role };
    }
    case 'memberRemoved':
      return { type: 'MemberRemoved', subjectId: event.value.subjectId };
    case 'memberRoleChanged': {
      const role = event.value.role;
      if (!isTenantRole(role)) throw new TenantEventDecodeError('MemberRoleChanged carries an unknown role');
      return { type: 'MemberRoleChanged', subjectId: event.value.subjectId, role };
    }
    case 'ownershipTransferProposed':
      return { type: 'OwnershipTransferProposed', fromSubjectId: event.value.fromSubjectId, toSubjectId: event.value.toSubjectId };
    case 'ownershipTransferCancelled':
      return { type: 'OwnershipTransferCancelled', fromSubjectId: event.value.fromSubjectId, toSubjectId: event.value.toSubjectId };
    case 'ownershipTransferred':
      return { type: 'OwnershipTransferred', fromSubjectId: event.value.fromSubjectId, toSubjectId: event.value.toSubjectId };
    case 'settingsChanged': {
      const settings = event.value.settings;
      if (!settings) throw new TenantEventDecodeError('SettingsChanged carries no settings');
      return { type: 'SettingsChanged', settings: settingsFromProto(settings) };
    }
    case 'subjectDataPurged':
      return {
        type: 'SubjectDataPurged',
        requestId: event.value.requestId,
        subjectId: event.value.subjectId,
        recordsDeleted: event.value.recordsDeleted,
      };
    case 'retentionPurged':
      return { type: 'RetentionPurged', dataClass: event.value.dataClass, cutoffMs: event.value.cutoffMs, recordsDeleted: event.value.recordsDeleted };
    default:
      return assertNever(event);
  }
}

/** Domain settings → the protobuf message (also GetTenantSettings' answer). */
export function settingsToProto(settings: TenantSettings): tenantV1.TenantSettings {
  const { retention, ...rest } = settings;
  return { ...rest, allowedModels: [...settings.allowedModels], retention: retention && { ...retention } };
}

export function settingsFromProto(settings: tenantV1.TenantSettings): TenantSettings {
  const { retention, ...rest } = settings;
  const r = retention;
  return {
    ...rest,
    allowedModels: [...settings.allowedModels],
    ...(r && { retention: { conversationDays: r.conversationDays, securityLogDays: r.securityLogDays, usageDetailDays: r.usageDetailDays } }),
  };
}

export function encodeTenantEvent(event: TenantEvent): Uint8Array {
  return tenantV1.TenantEvent.encode(toProto(event)).finish();
}

export function decodeTenantEvent(bytes: Uint8Array): TenantEvent {
  let message: tenantV1.TenantEvent;
  try {
    message = tenantV1.TenantEvent.decode(bytes);
  } catch {
    throw new TenantEventDecodeError('payload is not a tenant.v1.TenantEvent');
  }
  return fromProto(message);
}

/** The person an event is about (pseudonymous), for the envelope's subject id. */
export function subjectOf(event: TenantEvent): string {
  switch (event.type) {
    case 'InstanceCreated':
      return event.ownerSubjectId;
    case 'MemberAdded':
    case 'MemberRemoved':
    case 'MemberRoleChanged':
    case 'SubjectDataPurged':
      return event.subjectId;
    case 'OwnershipTransferProposed':
    case 'OwnershipTransferCancelled':
    case 'OwnershipTransferred':
      return event.toSubjectId; // the admin offered ownership; each role change names its own person
    case 'SettingsChanged':
    case 'RetentionPurged':
      return '';
    default:
      return assertNever(event);
  }
}

function assertNever(value: never): never {
  throw new TenantEventDecodeError(`unhandled tenant event: ${(value as { type?: string; $case?: string }).type ?? (value as { $case?: string }).$case}`);
}
