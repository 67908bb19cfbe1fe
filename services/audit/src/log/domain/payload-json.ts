// Turns a payload decoded by ts-proto into plain JSON for the log. ts-proto represents a oneof
// field as `<oneof>: {$case, value}`; here it becomes `<case>: value` on the parent, the shape
// proto3 JSON uses. Bytes become base64. Default values are kept, so an entry shows e.g.
// intact: false explicitly.
import type { JsonValue } from './canonical-json';

export function payloadToJson(decoded: unknown): JsonValue {
  return convert(decoded) ?? null;
}

function convert(value: unknown): JsonValue | undefined {
  if (value === undefined) return undefined;
  if (value === null) return null;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((item) => convert(item) ?? null);
  if (typeof value === 'object') return convertObject(value as Record<string, unknown>);
  return undefined;
}

function convertObject(record: Record<string, unknown>): JsonValue {
  const out: Record<string, JsonValue> = {};
  for (const [key, inner] of Object.entries(record)) {
    if (isOneofCase(inner)) {
      out[inner.$case] = convert(inner.value) ?? null;
      continue;
    }
    const converted = convert(inner);
    if (converted !== undefined) out[key] = converted;
  }
  return out;
}

function isOneofCase(value: unknown): value is { $case: string; value: unknown } {
  return typeof value === 'object' && value !== null && typeof (value as { $case?: unknown }).$case === 'string';
}
