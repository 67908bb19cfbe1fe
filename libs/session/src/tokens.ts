export const SESSION_VERIFIER = Symbol('SESSION_VERIFIER');
export const ROLES_KEY = 'enclave:roles';
export const REVOCATION_FEED = Symbol('REVOCATION_FEED');
