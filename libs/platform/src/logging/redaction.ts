// What counts as sensitive in logs. Keys are matched case-insensitively ignoring '-' and '_';
// string values anywhere are scrubbed of patterns that look like credentials or emails.

export const REDACTED = '[REDACTED]';

/** Keys whose values are always replaced, at any depth. */
export const SENSITIVE_KEYS: readonly string[] = [
  'authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'password', 'passwd', 'secret',
  'token', 'apiKey', 'api_key', 'key', 'privateKey', 'plaintext', 'email', 'name', 'displayName',
  'firstName', 'lastName', 'fullName', 'phone', 'content', 'text', 'prompt', 'completion',
  'messages', 'x-api-key', 'x-enclave-service-token', 'credential', 'credentials',
];

/** Key endings that mark a value sensitive ('sessionToken', 'webhook_secret', 'dbPassword'). */
const SENSITIVE_SUFFIXES = ['token', 'secret', 'password', 'apikey', 'privatekey', 'email'];

const normalize = (key: string): string => key.toLowerCase().replace(/[-_]/g, '');
const SENSITIVE_NORMALIZED = new Set(SENSITIVE_KEYS.map(normalize));

export function isSensitiveKey(key: string): boolean {
  const k = normalize(key);
  return SENSITIVE_NORMALIZED.has(k) || SENSITIVE_SUFFIXES.some((suffix) => k.endsWith(suffix));
}

/** Patterns replaced inside any logged string; order matters (URL credentials before emails). */
const SECRET_PATTERNS: ReadonlyArray<[RegExp, string]> = [
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g, REDACTED],
  [/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@:]+:[^\s/@]+@/gi, `$1${REDACTED}@`],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/g, `$1 ${REDACTED}`],
  [/\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g, REDACTED],
  [/\bsk-[A-Za-z0-9_-]{12,}/g, REDACTED],
  [/\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g, REDACTED],
  [/\bgh[pousr]_[A-Za-z0-9]{20,}/g, REDACTED],
  [/\bxox[abpors]-[A-Za-z0-9-]{10,}/g, REDACTED],
  [/\bAIza[0-9A-Za-z_-]{30,}/g, REDACTED],
  [/[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g, REDACTED],
];

export function scrubString(text: string): string {
  let out = text;
  for (const [pattern, replacement] of SECRET_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

const MAX_DEPTH = 8;

/**
 * A copy of `value` with sensitive keys replaced and strings scrubbed. Errors become plain
 * {type, message, stack, code} objects; cycles and very deep nesting are cut off.
 */
export function scrubValue(value: unknown, depth = 0, seen: WeakSet<object> = new WeakSet()): unknown {
  if (typeof value === 'string') return scrubString(value);
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[Circular]';
  if (depth >= MAX_DEPTH) return '[Truncated]';
  seen.add(value);
  try {
    if (Buffer.isBuffer(value) || ArrayBuffer.isView(value)) return `[${value.byteLength} bytes]`;
    if (value instanceof Date) return value;
    if (value instanceof Error) return scrubError(value, depth, seen);
    if (Array.isArray(value)) return value.map((item) => scrubValue(item, depth + 1, seen));
    if (value instanceof Map) return scrubValue(Object.fromEntries(value), depth + 1, seen);
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      out[key] = isSensitiveKey(key) && item !== undefined && item !== null ? REDACTED : scrubValue(item, depth + 1, seen);
    }
    return out;
  } finally {
    seen.delete(value);
  }
}

function scrubError(error: Error, depth: number, seen: WeakSet<object>): Record<string, unknown> {
  const out: Record<string, unknown> = { type: error.name, message: scrubString(error.message) };
  if (error.stack) out.stack = scrubString(error.stack);
  const extra = error as Error & { code?: unknown; cause?: unknown };
  if (typeof extra.code === 'string' || typeof extra.code === 'number') out.code = extra.code;
  if (extra.cause !== undefined) out.cause = scrubValue(extra.cause, depth + 1, seen);
  return out;
}

/** pino `redact` paths for the sensitive keys at the top level and up to three levels deep. */
export function redactPaths(): string[] {
  const paths: string[] = [];
  for (const key of SENSITIVE_KEYS) {
    const segment = /^[A-Za-z_$][\w$]*$/.test(key) ? key : `["${key}"]`;
    const join = (prefix: string) => (segment.startsWith('[') ? `${prefix}${segment}` : `${prefix}.${segment}`);
    paths.push(segment, join('*'), join('*.*'), join('*.*.*'));
  }
  return paths;
}
