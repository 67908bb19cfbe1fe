// What a tenant can keep in the vault. Provider keys are sealed with the endpoint they may be
// sent to; the tenant secrets are sealed as their plain value.
export const SECRET_KINDS = ['provider-key', 'smtp-password', 'oidc-client-secret'] as const;
export type SecretKind = (typeof SECRET_KINDS)[number];

/** Kinds other than provider keys, served to auth (SMTP for magic links, OIDC for SSO). */
export const TENANT_SECRET_KINDS = ['smtp-password', 'oidc-client-secret'] as const;
export type TenantSecretKind = (typeof TENANT_SECRET_KINDS)[number];

export function isSecretKind(value: string): value is SecretKind {
  return (SECRET_KINDS as readonly string[]).includes(value);
}

export function isTenantSecretKind(value: string): value is TenantSecretKind {
  return (TENANT_SECRET_KINDS as readonly string[]).includes(value);
}
