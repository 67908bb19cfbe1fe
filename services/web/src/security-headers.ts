// The headers every answer of the console's origin carries, and the cross-site request check
// for state-changing calls that a browser could make with the session cookie.

/** No inline script or style, nothing framed, no plugin, forms and fetches to this origin only. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  // Sign-in links carry their token in the query: never send the URL anywhere else.
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
};

/** The console sends this header on every state-changing call; a cross-site form cannot. */
export const CSRF_HEADER = 'x-enclave-csrf';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface CsrfInput {
  method: string;
  /** Scheme and host the browser reached this server at, e.g. http://127.0.0.1:7100. */
  ownOrigin: string;
  headers: Record<string, string | string[] | undefined>;
}

/**
 * undefined when the request may go on, else why it is refused (403). Only browser-shaped
 * requests are checked (a cookie, an Origin or a Sec-Fetch-Site header): API clients with a
 * Bearer token and no cookie are not exposed to cross-site forgery.
 */
export function csrfRefusal({ method, ownOrigin, headers }: CsrfInput): string | undefined {
  if (SAFE_METHODS.has(method.toUpperCase())) return undefined;
  const origin = single(headers.origin);
  const fetchSite = single(headers['sec-fetch-site']);
  const browserShaped = headers.cookie !== undefined || origin !== undefined || fetchSite !== undefined;
  if (!browserShaped) return undefined;
  if (origin !== undefined && origin !== ownOrigin) return 'cross-origin request refused';
  if (fetchSite !== undefined && fetchSite !== 'same-origin') return 'cross-site request refused';
  if (single(headers[CSRF_HEADER]) !== '1') return `state-changing requests need the ${CSRF_HEADER} header`;
  return undefined;
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
