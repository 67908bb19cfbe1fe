// Does the masked form show only the last four and a stable keyed fingerprint per tenant, never the key, and never one that links two tenants?
import { fingerprint, lastFour } from './masking';

const fpKey = Buffer.alloc(32, 7);

describe('masking', () => {
  it('keeps only the last four characters', () => {
    expect(lastFour('sk-abcdefgh1234')).toBe('1234');
  });

  it('fingerprints are stable, 16 hex characters, and do not contain the key', () => {
    const a = fingerprint(fpKey, 't1', 'sk-abcdefgh1234');
    expect(a).toMatch(/^[0-9a-f]{16}$/);
    expect(fingerprint(fpKey, 't1', 'sk-abcdefgh1234')).toBe(a);
    expect(a).not.toContain('1234abcd');
  });

  it('fingerprints differ for another key and under another fingerprint key', () => {
    const a = fingerprint(fpKey, 't1', 'sk-abcdefgh1234');
    expect(fingerprint(fpKey, 't1', 'sk-abcdefgh1235')).not.toBe(a);
    expect(fingerprint(Buffer.alloc(32, 8), 't1', 'sk-abcdefgh1234')).not.toBe(a);
  });

  it('the same key stored by two tenants gets unrelated fingerprints', () => {
    expect(fingerprint(fpKey, 't1', 'sk-abcdefgh1234')).not.toBe(fingerprint(fpKey, 't2', 'sk-abcdefgh1234'));
  });
});
