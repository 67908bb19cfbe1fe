// Which rectification bodies are accepted, and how are they normalised?
import { rectificationBody } from './accounts.controller';

describe('rectification body', () => {
  it('normalises the email and trims the name', () => {
    expect(rectificationBody.parse({ email: '  Ada@Acme.Example ', displayName: '  Ada  ' })).toEqual({ email: 'ada@acme.example', displayName: 'Ada' });
    expect(rectificationBody.parse({ displayName: 'Ada' })).toEqual({ displayName: 'Ada' });
  });

  it.each([
    ['an empty body', {}],
    ['a malformed email', { email: 'nobody' }],
    ['an empty name', { displayName: '   ' }],
    ['an overlong name', { displayName: 'x'.repeat(201) }],
    ['an unknown field', { displayName: 'Ada', role: 'owner' }],
    ['a non-string email', { email: 42 }],
  ])('refuses %s', (_case, body) => {
    expect(rectificationBody.safeParse(body).success).toBe(false);
  });
});
