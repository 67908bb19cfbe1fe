import { authV1, eventsV1 } from '@enclave/proto';
import { assertNever } from '../assert-never';
import { isRole, type Role } from '../roles';
import type { ActorRef } from '../application/actor';
import type { AuthEvent } from '../application/auth-event-log';
import type { RectifiedField } from '../../accounts/domain/account';
import { REVOCATION_REASONS, type RevocationReason } from '../../sessions/domain/session-events';

// Auth's domain events ↔ the payload of topic enclave.auth.events.v1 (authV1.AuthEvent). No
// email, name, link or token exists in these messages, by construction of the proto.

export const EVENT_TYPE_PREFIX = 'auth.';

export class AuthEventDecodeError extends Error {
  override readonly name = 'AuthEventDecodeError';
}

export function envelopeType(event: AuthEvent): string {
  return `${EVENT_TYPE_PREFIX}${event.type}`;
}

export function encodeAuthEvent(event: AuthEvent): Uint8Array {
  return authV1.AuthEvent.encode(toProto(event)).finish();
}

function toProto(event: AuthEvent): authV1.AuthEvent {
  switch (event.type) {
    case 'AccountRegistered':
      return { event: { $case: 'accountRegistered', value: { subjectId: event.subjectId } } };
    case 'LoginLinkIssued':
      return { event: { $case: 'loginLinkIssued', value: { subjectId: event.subjectId, expiresAtMs: event.expiresAtMs } } };
    case 'InvitationSent':
      return { event: { $case: 'invitationSent', value: { subjectId: event.subjectId, role: event.role } } };
    case 'SessionStarted':
      return { event: { $case: 'sessionStarted', value: { subjectId: event.subjectId, sessionId: event.sessionId, role: event.role } } };
    case 'AccountRectified':
      return { event: { $case: 'accountRectified', value: { subjectId: event.subjectId, fields: event.fields, sealedChanges: event.sealedChanges } } };
    case 'SubjectDataPurged':
      return {
        event: { $case: 'subjectDataPurged', value: { requestId: event.requestId, subjectId: event.subjectId, recordsDeleted: event.recordsDeleted } },
      };
    case 'RetentionPurged':
      return {
        event: { $case: 'retentionPurged', value: { dataClass: event.dataClass, cutoffMs: event.cutoffMs, recordsDeleted: event.recordsDeleted } },
      };
    case 'BreachNotificationSent':
      return { event: { $case: 'breachNotificationSent', value: { incidentId: event.incidentId, recipients: event.recipients } } };
    case 'SessionsRevoked':
      return {
        event: {
          $case: 'sessionsRevoked',
          value: { subjectId: event.subjectId, sessionIds: event.sessionIds, notBeforeMs: event.notBeforeMs, reason: event.reason },
        },
      };
    default:
      return assertNever(event);
  }
}

/** The domain event in a stored payload; tenantId comes from the envelope. */
export function decodeAuthEvent(tenantId: string, payload: Uint8Array): AuthEvent {
  let message: authV1.AuthEvent;
  try {
    message = authV1.AuthEvent.decode(payload);
  } catch {
    throw new AuthEventDecodeError('payload is not an auth.v1.AuthEvent');
  }
  const event = message.event;
  if (!event) throw new AuthEventDecodeError('auth event has no payload');
  switch (event.$case) {
    case 'accountRegistered':
      return { type: 'AccountRegistered', tenantId, subjectId: event.value.subjectId };
    case 'loginLinkIssued':
      return { type: 'LoginLinkIssued', tenantId, subjectId: event.value.subjectId, expiresAtMs: event.value.expiresAtMs };
    case 'invitationSent':
      return { type: 'InvitationSent', tenantId, subjectId: event.value.subjectId, role: roleOf(event.value.role) };
    case 'sessionStarted':
      return { type: 'SessionStarted', tenantId, subjectId: event.value.subjectId, sessionId: event.value.sessionId, role: roleOf(event.value.role) };
    case 'accountRectified':
      return {
        type: 'AccountRectified',
        tenantId,
        subjectId: event.value.subjectId,
        fields: event.value.fields.map(rectifiedFieldOf),
        sealedChanges: event.value.sealedChanges,
      };
    case 'subjectDataPurged':
      return { type: 'SubjectDataPurged', tenantId, ...event.value, recordsDeleted: Number(event.value.recordsDeleted) };
    case 'retentionPurged':
      if (event.value.dataClass !== 'security_logs') throw new AuthEventDecodeError('auth event carries an unknown data class');
      return { type: 'RetentionPurged', tenantId, subjectId: '', dataClass: event.value.dataClass, cutoffMs: Number(event.value.cutoffMs), recordsDeleted: Number(event.value.recordsDeleted) };
    case 'breachNotificationSent':
      return { type: 'BreachNotificationSent', tenantId, subjectId: '', incidentId: event.value.incidentId, recipients: event.value.recipients };
    case 'sessionsRevoked':
      return {
        type: 'SessionsRevoked',
        tenantId,
        subjectId: event.value.subjectId,
        sessionIds: event.value.sessionIds,
        notBeforeMs: Number(event.value.notBeforeMs),
        reason: revocationReasonOf(event.value.reason),
      };
    default:
      return assertNever(event);
  }
}

export function toProtoActor(actor: ActorRef): eventsV1.Actor {
  return actor.kind === 'person'
    ? { kind: eventsV1.ActorKind.ACTOR_KIND_PERSON, id: actor.subjectId, role: actor.role }
    : { kind: eventsV1.ActorKind.ACTOR_KIND_SERVICE, id: actor.name, role: '' };
}

function rectifiedFieldOf(value: string): RectifiedField {
  if (value !== 'email' && value !== 'display_name') throw new AuthEventDecodeError('auth event carries an unknown rectified field');
  return value;
}

function revocationReasonOf(value: string): RevocationReason {
  const reason = REVOCATION_REASONS.find((r) => r === value);
  if (!reason) throw new AuthEventDecodeError('auth event carries an unknown revocation reason');
  return reason;
}

function roleOf(value: string): Role {
  if (!isRole(value)) throw new AuthEventDecodeError('auth event carries an unknown role');
  return value;
}
