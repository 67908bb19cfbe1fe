import type { Connection, Model, Schema } from 'mongoose';

/** The connection's model for a schema, created once (tests build several apps per process). */
export function modelFor<T>(connection: Connection, name: string, schema: Schema, collection: string): Model<T> {
  return (connection.models[name] as Model<T> | undefined) ?? connection.model<T>(name, schema as Schema<T>, collection);
}

/** BSON binary as read back (mongodb Binary, Buffer or Uint8Array) → Buffer. */
export function toBuffer(value: unknown): Buffer {
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  if (value && typeof value === 'object' && 'buffer' in value) return toBuffer((value as { buffer: unknown }).buffer);
  throw new TypeError('expected binary data');
}

export function isDuplicateKey(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000;
}
