import { randomFillSync } from 'node:crypto';

/** Any RFC 9562 UUID (any version), lower or upper case, in the 8-4-4-4-12 text form. */
const UUID_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID_TEXT.test(value);
}

export interface UuidV7Source {
  /** Milliseconds since the epoch. */
  now?: () => number;
  /** Fills the buffer with random bytes. */
  fillRandom?: (bytes: Buffer) => void;
}

/**
 * Builds a UUIDv7 generator (RFC 9562 §5.7): 48-bit unix ms timestamp, version 7, variant 0b10,
 * then a 12-bit counter (rand_a, "method 1") and 62 random bits. Within one millisecond the
 * counter increments from a random start, so ids from one generator sort strictly increasing;
 * when it overflows, or the clock steps back, the timestamp is advanced past the last one used.
 */
export function createUuidV7Generator(source: UuidV7Source = {}): () => string {
  const now = source.now ?? Date.now;
  const fillRandom = source.fillRandom ?? ((bytes: Buffer) => void randomFillSync(bytes));
  let lastMs = -1;
  let counter = 0;
  const random = Buffer.alloc(10);
  const bytes = Buffer.alloc(16);

  return () => {
    fillRandom(random);
    let ms = now();
    if (ms > lastMs) {
      // Start each millisecond in the lower half of the counter space to leave room to count up.
      counter = ((random[0]! << 8) | random[1]!) & 0x7ff;
    } else {
      ms = lastMs;
      counter += 1;
      if (counter > 0xfff) {
        ms += 1;
        counter = ((random[0]! << 8) | random[1]!) & 0x7ff;
      }
    }
    lastMs = ms;

    bytes.writeUIntBE(ms, 0, 6);
    bytes[6] = 0x70 | (counter >> 8);
    bytes[7] = counter & 0xff;
    bytes[8] = 0x80 | (random[2]! & 0x3f);
    random.copy(bytes, 9, 3, 10);
    const hex = bytes.toString('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  };
}

/** A time-ordered UUIDv7 from the process-wide generator. */
export const uuidv7: () => string = createUuidV7Generator();

/** The millisecond timestamp embedded in a UUIDv7. */
export function uuidv7Timestamp(id: string): number {
  if (!isUuid(id) || id[14] !== '7') throw new TypeError('not a UUIDv7');
  return parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}
