// RFC 6962 / RFC 9162 hashing: a leaf is SHA-256(0x00 || data), an interior node
// SHA-256(0x01 || left || right), the empty tree SHA-256(""). The prefixes keep a leaf from ever
// being passed off as a node (second-preimage resistance). An audit entry's leaf data is the 32
// raw bytes of its chain hash, which already commits to every field of the entry.
import { hash } from 'node:crypto';

export const HASH_BYTES = 32;

/** Root of the tree of no leaves: SHA-256 of the empty string. */
export const EMPTY_ROOT: Buffer = hash('sha256', Buffer.alloc(0), 'buffer');

// One-shot hashing over a reused scratch buffer: hashing is synchronous and returns a new buffer,
// so reuse is safe, and it roughly doubles the rate of hashing millions of small nodes.
const leafScratch = Buffer.alloc(1 + HASH_BYTES);
const nodeScratch = Buffer.alloc(1 + 2 * HASH_BYTES);
nodeScratch[0] = 0x01;

export function hashLeaf(data: Uint8Array): Buffer {
  if (data.length !== HASH_BYTES) return hash('sha256', Buffer.concat([Buffer.from([0x00]), data]), 'buffer');
  leafScratch.set(data, 1);
  return hash('sha256', leafScratch, 'buffer');
}

export function hashChildren(left: Uint8Array, right: Uint8Array): Buffer {
  if (left.length !== HASH_BYTES || right.length !== HASH_BYTES) return hash('sha256', Buffer.concat([Buffer.from([0x01]), left, right]), 'buffer');
  nodeScratch.set(left, 1);
  nodeScratch.set(right, 1 + HASH_BYTES);
  return hash('sha256', nodeScratch, 'buffer');
}

/** The leaf of an audit entry: hashLeaf of its 32-byte chain hash (given as hex). */
export function entryLeaf(entryHashHex: string): Buffer {
  return hashLeaf(fromHex(entryHashHex));
}

export class HashFormatError extends TypeError {
  override readonly name = 'HashFormatError';
}

const HEX_HASH = /^[0-9a-f]{64}$/;

export function isHexHash(text: unknown): text is string {
  return typeof text === 'string' && HEX_HASH.test(text);
}

/** Strict: exactly 64 lower-case hex digits (Buffer.from would silently truncate bad input). */
export function fromHex(text: string): Buffer {
  if (!isHexHash(text)) throw new HashFormatError('expected a SHA-256 hash as 64 lower-case hex digits');
  return Buffer.from(text, 'hex');
}

export function toHex(hash: Uint8Array): string {
  return Buffer.from(hash.buffer, hash.byteOffset, hash.byteLength).toString('hex');
}
