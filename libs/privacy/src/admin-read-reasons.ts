// Why an owner or admin reads a member's content (their conversations, or the conversations in
// an export pulled on the member's behalf). A fixed list, not free text: the reason travels in
// events to the audit log and onto the member's privacy receipt, where free text could carry
// personal data in the clear.
export const ADMIN_READ_REASONS = [
  'member_request',
  'security_investigation',
  'policy_violation',
  'legal_obligation',
  'compliance_audit',
] as const;

export type AdminReadReason = (typeof ADMIN_READ_REASONS)[number];

export function isAdminReadReason(value: unknown): value is AdminReadReason {
  return typeof value === 'string' && (ADMIN_READ_REASONS as readonly string[]).includes(value);
}
