// Calls to the platform's API on this origin. The session is the HttpOnly cookie (never read
// or stored by this code); every state-changing call carries the CSRF header the server checks.

export const CSRF_HEADERS = { 'x-enclave-csrf': '1' } as const;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The {error, message} body of a failed answer, or a generic one. */
export async function apiErrorOf(res: Response): Promise<ApiError> {
  let code = `http_${res.status}`;
  let message = res.statusText;
  try {
    const body = (await res.json()) as { error?: unknown; message?: unknown };
    if (typeof body.error === 'string') code = body.error;
    if (typeof body.message === 'string') message = body.message;
  } catch {
    /* not JSON */
  }
  return new ApiError(res.status, code, message);
}

let refreshing: Promise<boolean> | null = null;

/**
 * Access tokens are short-lived; the refresh cookie (HttpOnly, auth's paths only) gets a new
 * one. Concurrent 401s share one refresh. false: the sign-in is over.
 */
function refreshSession(): Promise<boolean> {
  refreshing ??= fetch('/v1/auth/refresh', { method: 'POST', headers: { ...CSRF_HEADERS }, credentials: 'same-origin' })
    .then((res) => res.ok)
    .catch(() => false)
    .finally(() => {
      refreshing = null;
    });
  return refreshing;
}

/** Calls whose 401 means "no such sign-in", not "access token expired". */
const NO_REFRESH = new Set(['/v1/auth/sessions', '/v1/auth/refresh', '/v1/auth/logout', '/v1/auth/login-links']);

/** fetch on this origin; a 401 is retried once after refreshing the access token. */
export async function fetchWithSession(path: string, init: RequestInit): Promise<Response> {
  const res = await fetch(path, { ...init, credentials: 'same-origin' });
  if (res.status !== 401 || NO_REFRESH.has(path)) return res;
  return (await refreshSession()) ? fetch(path, { ...init, credentials: 'same-origin' }) : res;
}

export async function api<T>(method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (method !== 'GET') Object.assign(headers, CSRF_HEADERS);
  if (body !== undefined) headers['content-type'] = 'application/json';
  const init = { method, headers, ...(body !== undefined && { body: JSON.stringify(body) }) };
  const res = await fetchWithSession(path, init);
  if (!res.ok) throw await apiErrorOf(res);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

