// The shape of a tenant virtual key: "ek-" + base64url of 32 random bytes (43 characters).
// Checking the shape first lets the API refuse garbage without hashing or looking anything up.

export const VIRTUAL_KEY_PREFIX = 'ek-';
export const VIRTUAL_KEY_RANDOM_BYTES = 32;
const VIRTUAL_KEY_PATTERN = /^ek-[A-Za-z0-9_-]{43}$/;

/** The key shown once to its creator, from 32 random bytes. */
export function formatVirtualKey(random: Uint8Array): string {
  if (random.length !== VIRTUAL_KEY_RANDOM_BYTES) throw new RangeError(`a virtual key needs ${VIRTUAL_KEY_RANDOM_BYTES} random bytes`);
  return VIRTUAL_KEY_PREFIX + Buffer.from(random).toString('base64url');
}

export function looksLikeVirtualKey(value: string): boolean {
  return value.length === 46 && VIRTUAL_KEY_PATTERN.test(value);
}

/** What admins see to tell keys apart; too little of the key to help guessing it. */
export function lastFourOf(key: string): string {
  return key.slice(-4);
}

/** The token of an `Authorization: Bearer <token>` header, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined || header.length < 8) return undefined;
  if (!header.startsWith('Bearer ') && !/^bearer /i.test(header)) return undefined;
  const token = header.slice(7).trim();
  return token === '' ? undefined : token;
}
