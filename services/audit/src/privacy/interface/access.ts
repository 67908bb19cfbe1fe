import type { SessionClaims } from '@enclave/session';

// Acting on someone else's behalf is decided by ActingFor (ranks from the tenant); these only
// say who may read the tenant's privacy records.
export const isManager = (session: SessionClaims): boolean => session.role === 'owner' || session.role === 'admin';
export const canOversee = (session: SessionClaims): boolean => isManager(session) || session.role === 'auditor';
