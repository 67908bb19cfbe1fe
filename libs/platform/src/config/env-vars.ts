import { z } from 'zod';

// Schemas for common environment variable shapes. Every message describes the expected shape
// and never echoes the value, because ConfigError messages end up in logs.

/** TCP port 0-65535 (0 = pick a free port). */
export function portVar() {
  return z.string().trim().regex(/^\d{1,5}$/, 'expected a port number 0-65535')
    .transform(Number)
    .refine((n) => n <= 65535, 'expected a port number 0-65535');
}

/** Positive or zero integer. */
export function intVar() {
  return z.string().trim().regex(/^\d+$/, 'expected a non-negative integer').transform(Number);
}

/** Absolute URL whose scheme is one of `protocols` (without ':'), when given. */
export function urlVar(protocols?: readonly string[]) {
  const expected = protocols ? `expected a ${protocols.join('/')} URL` : 'expected an absolute URL';
  return z.string().trim().refine((text) => {
    if (!URL.canParse(text)) return false;
    const scheme = new URL(text).protocol.replace(/:$/, '');
    return !protocols || protocols.includes(scheme);
  }, expected);
}

/** Comma separated list; items trimmed, empty items dropped, at least one item. */
export function listVar() {
  return z.string().transform((text) => text.split(',').map((s) => s.trim()).filter(Boolean))
    .refine((items) => items.length > 0, 'expected a comma separated list');
}

/** Exactly 'true' or 'false'. */
export function boolVar() {
  return z.enum(['true', 'false'], { error: "expected 'true' or 'false'" }).transform((s) => s === 'true');
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Duration as milliseconds: '250', '250ms', '30s', '5m', '2h', '1d'. */
export function durationMsVar() {
  return z.string().trim().regex(/^\d+(ms|s|m|h|d)?$/, "expected a duration like '500ms', '30s', '5m'")
    .transform((text) => {
      const [, amount, unit] = /^(\d+)(ms|s|m|h|d)?$/.exec(text)!;
      return Number(amount) * UNIT_MS[unit ?? 'ms']!;
    });
}

/** Standard base64 of exactly `bytes` bytes (e.g. a 32-byte AES-256 key), decoded to a Buffer. */
export function base64KeyVar(bytes: number) {
  const expected = `expected base64 encoding exactly ${bytes} bytes`;
  return z.string().trim()
    .refine((text) => /^[A-Za-z0-9+/]+={0,2}$/.test(text) && Buffer.from(text, 'base64').length === bytes
      && Buffer.from(text, 'base64').toString('base64') === text, expected)
    .transform((text) => Buffer.from(text, 'base64'));
}
