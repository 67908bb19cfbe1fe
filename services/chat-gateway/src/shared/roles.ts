export type Role = 'owner' | 'admin' | 'member' | 'auditor';

/** Roles that may chat and keep a history; auditors read the audit trail, not chats. */
export const CHAT_ROLES = ['owner', 'admin', 'member'] as const satisfies readonly Role[];

/** Who is acting: the verified session's pseudonymous subject, tenant and role. */
export interface Caller {
  tenantId: string;
  subjectId: string;
  role: Role;
}
