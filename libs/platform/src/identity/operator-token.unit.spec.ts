// Does the operator token check accept exactly the configured token, whatever the length of the guess?
import { operatorTokenMatches } from './operator-token';

const token = 'op-token-0123456789abcdefghijklmnopqrstuvwxyz';

describe('operatorTokenMatches', () => {
  it('accepts the configured token', () => {
    expect(operatorTokenMatches(token, token)).toBe(true);
  });

  it.each([undefined, '', 'x', token.slice(0, -1), `${token}x`, token.toUpperCase()])('refuses %p', (presented) => {
    expect(operatorTokenMatches(token, presented)).toBe(false);
  });
});
