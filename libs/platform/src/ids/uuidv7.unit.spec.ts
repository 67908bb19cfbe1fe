// Are uuidv7 ids RFC 9562 shaped, carrying their timestamp, and strictly increasing even within one ms?
import { createUuidV7Generator, isUuid, uuidv7, uuidv7Timestamp } from './uuidv7';

describe('uuidv7', () => {
  it('has version 7, the RFC variant and the timestamp it was made at', () => {
    const gen = createUuidV7Generator({ now: () => 1_700_000_000_123 });
    const id = gen();
    expect(isUuid(id)).toBe(true);
    expect(id[14]).toBe('7');
    expect(['8', '9', 'a', 'b']).toContain(id[19]);
    expect(uuidv7Timestamp(id)).toBe(1_700_000_000_123);
  });

  it('sorts strictly increasing within one millisecond, past counter overflow', () => {
    const gen = createUuidV7Generator({ now: () => 1_700_000_000_000 });
    const ids = Array.from({ length: 10_000 }, gen);
    for (let i = 1; i < ids.length; i++) expect(ids[i]! > ids[i - 1]!).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(uuidv7Timestamp(ids[ids.length - 1]!)).toBeGreaterThan(1_700_000_000_000);
  });

  it('stays increasing when the clock steps backwards', () => {
    let t = 2_000;
    const gen = createUuidV7Generator({ now: () => t });
    const first = gen();
    t = 1_000;
    const second = gen();
    expect(second > first).toBe(true);
  });

  it('uses fresh randomness for the tail', () => {
    const gen = createUuidV7Generator({ now: () => 5, fillRandom: (b) => b.fill(0xff) });
    const id = gen();
    expect(id.slice(19)).toBe('bfff-ffffffffffff');
  });

  it('the default generator yields distinct valid ids', () => {
    const a = uuidv7();
    const b = uuidv7();
    expect(isUuid(a) && isUuid(b) && a !== b && b > a).toBe(true);
  });

  it('isUuid rejects other strings', () => {
    expect(isUuid('not-a-uuid')).toBe(false);
    expect(isUuid('0190a6e2-7b3c-7d4e-8f00-12345678901')).toBe(false);
    expect(isUuid(42)).toBe(false);
    expect(isUuid('0190A6E2-7B3C-7D4E-8F00-123456789012')).toBe(true);
    expect(() => uuidv7Timestamp('0190a6e2-7b3c-4d4e-8f00-123456789012')).toThrow('not a UUIDv7');
  });
});
