// Do sealed personal fields open only for their person, tenant and field, and never after shredding?
import { randomBytes } from 'node:crypto';
import { isSealedField, openField, sealField, SealedFieldError, type SubjectKey } from './field-cipher';
import { PersonalFields, SubjectErasedError, type SubjectKeySource } from './personal-fields';

const binding = { tenantId: 't1', subjectId: 's1', field: 'email' };
const key = (): SubjectKey => ({ keyId: 'k1', key: randomBytes(32) });

class FakeSource implements SubjectKeySource {
  keys = new Map<string, SubjectKey | 'shredded'>();
  calls = 0;
  async fetch(tenantId: string, subjectId: string, create: boolean) {
    this.calls++;
    const id = `${tenantId}/${subjectId}`;
    const existing = this.keys.get(id);
    if (existing) return existing;
    if (!create) return undefined;
    const made = key();
    this.keys.set(id, made);
    return made;
  }
}

describe('field cipher', () => {
  it('round-trips and hides the plaintext', () => {
    const k = key();
    const sealed = sealField(k, binding, 'ada@example.test');
    expect(isSealedField(sealed)).toBe(true);
    expect(sealed).not.toContain('ada');
    expect(openField(k, binding, sealed)).toBe('ada@example.test');
  });

  it('refuses another person, tenant, field or key', () => {
    const k = key();
    const sealed = sealField(k, binding, 'x');
    for (const other of [{ ...binding, subjectId: 's2' }, { ...binding, tenantId: 't2' }, { ...binding, field: 'name' }]) {
      expect(() => openField(k, other, sealed)).toThrow(SealedFieldError);
    }
    expect(() => openField({ keyId: 'k1', key: randomBytes(32) }, binding, sealed)).toThrow(SealedFieldError);
    expect(() => openField(k, binding, sealed.slice(0, 12))).toThrow(SealedFieldError);
  });
});

describe('PersonalFields', () => {
  it('creates a key on first seal, caches it, and opens legacy plaintext as is', async () => {
    const source = new FakeSource();
    const fields = new PersonalFields(source);
    const a = await fields.seal(binding, 'Ada');
    const b = await fields.seal(binding, 'Lovelace');
    expect(await fields.open(binding, a)).toBe('Ada');
    expect(await fields.open(binding, b)).toBe('Lovelace');
    expect(await fields.open(binding, 'plain legacy')).toBe('plain legacy');
    expect(source.calls).toBe(1);
  });

  it('after shredding: opens to null and refuses to seal again', async () => {
    const source = new FakeSource();
    const fields = new PersonalFields(source);
    const sealed = await fields.seal(binding, 'Ada');
    source.keys.set('t1/s1', 'shredded');
    fields.forget('t1', 's1');
    expect(await fields.open(binding, sealed)).toBeNull();
    await expect(fields.seal(binding, 'again')).rejects.toBeInstanceOf(SubjectErasedError);
  });

  it('fetches once for concurrent first uses and re-fetches after the TTL', async () => {
    let now = 0;
    const source = new FakeSource();
    const fields = new PersonalFields(source, { ttlMs: 1000, now: () => now });
    await Promise.all([fields.seal(binding, 'a'), fields.seal(binding, 'b'), fields.seal(binding, 'c')]);
    expect(source.calls).toBe(1);
    now = 2000;
    await fields.seal(binding, 'd');
    expect(source.calls).toBe(2);
  });
});
