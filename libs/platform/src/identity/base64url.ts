const BASE64URL = /^[A-Za-z0-9_-]*$/;

export function toBase64Url(bytes: Buffer | string): string {
  return Buffer.from(bytes).toString('base64url');
}

/** Decodes strict base64url (no padding, no other characters); undefined when malformed. */
export function fromBase64Url(text: string): Buffer | undefined {
  if (!BASE64URL.test(text) || text.length % 4 === 1) return undefined;
  return Buffer.from(text, 'base64url');
}
