// Which audit query strings are accepted, and what filter do they become?
import { trailQuery, verifyBody } from './http-schemas';

describe('trailQuery', () => {
  it('defaults to the first 100 entries', () => {
    expect(trailQuery.parse({})).toEqual({ limit: 100 });
  });

  it('reads every filter', () => {
    expect(
      trailQuery.parse({
        type: 'tenant.MemberAdded',
        actor: 'sub-a',
        subject: 'sub-b',
        from: '2025-03-01T00:00:00Z',
        to: '2025-03-02T00:00:00+01:00',
        after: '42',
        limit: '500',
      }),
    ).toEqual({
      type: 'tenant.MemberAdded',
      actor: 'sub-a',
      subject: 'sub-b',
      from: new Date('2025-03-01T00:00:00.000Z'),
      to: new Date('2025-03-01T23:00:00.000Z'),
      after: 42,
      limit: 500,
    });
  });

  it.each([
    ['limit 0', { limit: '0' }],
    ['limit 501', { limit: '501' }],
    ['a non-numeric limit', { limit: 'ten' }],
    ['a negative after', { after: '-1' }],
    ['a fractional after', { after: '1.5' }],
    ['a date without time', { from: '2025-03-01' }],
    ['a malformed time', { to: 'yesterday' }],
    ['from not before to', { from: '2025-03-02T00:00:00Z', to: '2025-03-01T00:00:00Z' }],
    ['a type with spaces', { type: 'tenant MemberAdded' }],
    ['a repeated parameter', { type: ['a', 'b'] }],
    ['an unknown parameter', { seq: '1' }],
  ])('refuses %s', (_label, query) => {
    expect(trailQuery.safeParse(query).success).toBe(false);
  });
});

describe('verifyBody', () => {
  it.each([undefined, null, {}])('means the whole log for %p', (body) => {
    expect(verifyBody.parse(body)).toBeUndefined();
  });

  it('reads a range, fromSeq defaulting to 1 and toSeq to the head', () => {
    expect(verifyBody.parse({ fromSeq: 3, toSeq: 9 })).toEqual({ fromSeq: 3, toSeq: 9 });
    expect(verifyBody.parse({ fromSeq: 3 })).toEqual({ fromSeq: 3 });
    expect(verifyBody.parse({ toSeq: 9 })).toEqual({ fromSeq: 1, toSeq: 9 });
  });

  it.each([
    ['a zero seq', { fromSeq: 0 }],
    ['a fractional seq', { toSeq: 2.5 }],
    ['a seq as text', { fromSeq: '2' }],
    ['from after to', { fromSeq: 4, toSeq: 3 }],
    ['an unknown field', { from: 1 }],
    ['an array', [1, 2]],
  ])('refuses %s', (_label, body) => {
    expect(verifyBody.safeParse(body).success).toBe(false);
  });
});
