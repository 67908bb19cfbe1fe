// Is a refresh token bound to its session, stored only as a hash, and refused when malformed?
import { hashRefreshToken, newRefreshToken, parseRefreshToken } from './refresh-token';

const SID = '0190f3a4-1234-7abc-8def-0123456789ab';

describe('refresh token', () => {
  it('names its session and hashes to what parse returns', () => {
    const token = newRefreshToken(SID);
    expect(parseRefreshToken(token)).toEqual({ sessionId: SID, hash: hashRefreshToken(token) });
    expect(hashRefreshToken(token)).not.toContain(token.split('.')[1]);
  });

  it('is different every time', () => {
    expect(newRefreshToken(SID)).not.toBe(newRefreshToken(SID));
  });

  it('refuses anything that is not <session id>.<43 base64url characters>', () => {
    const good = newRefreshToken(SID);
    for (const bad of ['', good.slice(0, -1), `${good}x`, `not-a-session.${good.split('.')[1]}`, good.replace('.', ':'), `${good}\n`]) {
      expect(parseRefreshToken(bad)).toBeNull();
    }
  });
});
