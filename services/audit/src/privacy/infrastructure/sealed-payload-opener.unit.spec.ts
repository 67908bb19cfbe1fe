// Are the sealed personal fields of a logged payload opened wherever they sit (bound to their JSON key), other values left as they are, and unreadable ones null?
import { sealField, PersonalFields, type SubjectKeySource } from '@enclave/privacy';
import { tenantId } from '@enclave/eventing';
import { SealedPayloadOpener } from './sealed-payload-opener';

const key = { keyId: 'k1', key: Buffer.alloc(32, 7) };
const T = tenantId('t-1');

describe('SealedPayloadOpener', () => {
  it('opens pf1 values in nested objects and lists, keeps everything else, null when the key is gone or the field name differs', async () => {
    let shredded = false;
    const source: SubjectKeySource = { fetch: async () => (shredded ? 'shredded' : key) };
    const opener = new SealedPayloadOpener(new PersonalFields(source, { ttlMs: 0 }));
    const sealed = sealField(key, { tenantId: T, subjectId: 's-1', field: 'sealedChanges' }, '{"email":"new"}');
    const payload = { accountRectified: { subjectId: 's-1', fields: ['email'], sealedChanges: sealed, n: 3 }, other: [{ sealedChanges: sealed }], moved: { title: sealed } };
    expect(await opener.open(T, 's-1', payload)).toEqual({
      accountRectified: { subjectId: 's-1', fields: ['email'], sealedChanges: '{"email":"new"}', n: 3 },
      other: [{ sealedChanges: '{"email":"new"}' }],
      moved: { title: null },
    });
    shredded = true;
    expect(await opener.open(T, 's-1', payload)).toMatchObject({ accountRectified: { sealedChanges: null } });
  });
});
