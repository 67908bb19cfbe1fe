// Types of provision.js (plain Node so the load-test runner can use it too).
export type UrlFor = (service: string, path: string) => string;

export interface ProvisionedSession {
  token: string;
  subjectId: string;
  role: string;
}

export interface ProvisionedMember extends ProvisionedSession {
  conversations: string[];
}

export interface ProvisionedTenant {
  tenantId: string;
  admin: ProvisionedSession;
  members: ProvisionedMember[];
  /** The provider key stored for the tenant (a secret: never log it). */
  apiKey: string;
}

export function provisionTenant(o: {
  urlFor: UrlFor;
  smtpApiUrl: string;
  operatorToken: string;
  upstreamUrl: string;
  members?: number;
  conversationsPerMember?: number;
  allowedModels?: string[];
  label?: string;
}): Promise<ProvisionedTenant>;

export function localUrls(stackPorts: unknown): UrlFor;
export function ingressUrls(baseUrl: string): UrlFor;
export function call(
  method: string,
  url: string,
  opts?: { token?: string; body?: unknown; headers?: Record<string, string>; expect?: number },
): Promise<{ status: number; body: any }>;
