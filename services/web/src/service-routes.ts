// Which of the six services answers a /v1 path: the one origin the console is served from
// routes every API call by its path, as the chart's ingress does in Kubernetes.

export type ServiceName = 'tenant' | 'auth' | 'key-vault' | 'chat-gateway' | 'billing' | 'audit';

export const SERVICE_NAMES: readonly ServiceName[] = ['tenant', 'auth', 'key-vault', 'chat-gateway', 'billing', 'audit'];

const ID = '[^/]+';
/** First match wins; tenant-scoped paths are listed before the tenant's own catch-all. */
const ROUTES: ReadonlyArray<[RegExp, ServiceName]> = [
  [/^\/v1\/auth(\/|$)/, 'auth'],
  [new RegExp(`^/v1/tenants/${ID}/accounts(/|$)`), 'auth'],
  [/^\/v1\/instances\/?$/, 'tenant'],
  [/^\/v1\/conversations(\/|$)/, 'chat-gateway'],
  [/^\/v1\/chat\/completions\/?$/, 'chat-gateway'],
  [/^\/v1\/models(\/|$)/, 'chat-gateway'],
  [new RegExp(`^/v1/tenants/${ID}/members/${ID}/conversations(/|$)`), 'chat-gateway'],
  [new RegExp(`^/v1/tenants/${ID}/virtual-keys(/|$)`), 'chat-gateway'],
  [new RegExp(`^/v1/tenants/${ID}/(provider-keys|secrets)(/|$)`), 'key-vault'],
  [new RegExp(`^/v1/tenants/${ID}/(usage|quota)(/|$)`), 'billing'],
  [new RegExp(`^/v1/tenants/${ID}/(audit|privacy)(/|$)`), 'audit'],
  [/^\/v1\/audit\/public-key\/?$/, 'audit'],
  [new RegExp(`^/v1/tenants/${ID}(/(settings|members|ownership-transfer)(/.*)?)?/?$`), 'tenant'],
];

/** The service for a request path (no query), or undefined: the web server answers 404. */
export function serviceFor(pathname: string): ServiceName | undefined {
  for (const [pattern, service] of ROUTES) if (pattern.test(pathname)) return service;
  return undefined;
}
