import type { Role } from '../../shared/roles';
import type { PrivacyState } from './privacy-state';

// May this reader see a member's conversations? Only owners/admins of the member's own tenant,
// only while the tenant logs messages (members were told), never a restricted or frozen member.

export interface AdminReadInput {
  readerRole: Role;
  readerTenantId: string;
  requestedTenantId: string;
  messageLogging: boolean;
  member: PrivacyState;
}

export type AdminReadDecision =
  | { allowed: true }
  | { allowed: false; status: 403; error: 'forbidden' | 'message_logging_off' | 'processing_restricted' | 'account_frozen'; message: string }
  | { allowed: false; status: 404; error: 'not_found'; message: string };

export function decideAdminRead(input: AdminReadInput): AdminReadDecision {
  if (input.readerRole !== 'owner' && input.readerRole !== 'admin') {
    return { allowed: false, status: 403, error: 'forbidden', message: 'only owners and admins may read members\' conversations' };
  }
  if (input.readerTenantId !== input.requestedTenantId) {
    return { allowed: false, status: 404, error: 'not_found', message: 'not found' };
  }
  if (!input.messageLogging) {
    return { allowed: false, status: 403, error: 'message_logging_off', message: 'message logging is off for this instance: members\' conversations are private' };
  }
  if (input.member.frozen || input.member.erased) {
    return { allowed: false, status: 403, error: 'account_frozen', message: 'this member\'s account is frozen while its erasure is pending' };
  }
  if (input.member.restricted) {
    return { allowed: false, status: 403, error: 'processing_restricted', message: 'this member restricted the processing of their data' };
  }
  return { allowed: true };
}
