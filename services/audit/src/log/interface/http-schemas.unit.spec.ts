// Which audit query strings are accepted, and what filter do they become?
import { trailQuery } from './http-schemas';

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
