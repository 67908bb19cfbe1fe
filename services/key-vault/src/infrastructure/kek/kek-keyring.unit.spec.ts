// Which KEK configurations boot, and does a bad one fail naming the variable but never the key?
import { randomBytes } from 'node:crypto';
import { ConfigError } from '@enclave/platform';
import { loadKekKeyring } from './kek-keyring';

const k1 = randomBytes(32).toString('base64');
const k2 = randomBytes(32).toString('base64');

function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).not.toContain(k1);
    return (error as ConfigError).problems.map((p) => `${p.variable}: ${p.reason}`);
  }
  throw new Error('expected a ConfigError');
}

describe('loadKekKeyring', () => {
  it('reads versioned keys from KEK_KEYS, active version defaulting to the highest', () => {
    const ring = loadKekKeyring({ KEK_KEYS: JSON.stringify({ '1': k1, '2': k2 }) });
    expect(ring.activeVersion).toBe(2);
    expect(ring.keys.get(1)?.toString('base64')).toBe(k1);
  });

  it('honours KEK_ACTIVE_VERSION', () => {
    expect(loadKekKeyring({ KEK_KEYS: JSON.stringify({ '1': k1, '2': k2 }), KEK_ACTIVE_VERSION: '1' }).activeVersion).toBe(1);
  });

  it('reads the same JSON from KEK_FILE (a mounted secret)', () => {
    const ring = loadKekKeyring({ KEK_FILE: '/run/secrets/kek.json' }, (path) => {
      expect(path).toBe('/run/secrets/kek.json');
      return JSON.stringify({ '3': k1 });
    });
    expect(ring.activeVersion).toBe(3);
  });

  it.each([
    ['nothing set', {}, /KEK_KEYS: missing/],
    ['both set', { KEK_KEYS: '{}', KEK_FILE: '/x' }, /not both/],
    ['not JSON', { KEK_KEYS: 'nope' }, /KEK_KEYS: malformed/],
    ['empty object', { KEK_KEYS: '{}' }, /KEK_KEYS: malformed/],
    ['a 16-byte key', { KEK_KEYS: JSON.stringify({ '1': randomBytes(16).toString('base64') }) }, /version 1 is not base64 of exactly 32 bytes/],
    ['a 33-byte key', { KEK_KEYS: JSON.stringify({ '1': randomBytes(33).toString('base64') }) }, /exactly 32 bytes/],
    ['a non-integer version', { KEK_KEYS: JSON.stringify({ one: k1 }) }, /positive integers/],
    ['an unknown active version', { KEK_KEYS: JSON.stringify({ '1': k1 }), KEK_ACTIVE_VERSION: '2' }, /KEK_ACTIVE_VERSION: names a version/],
    ['a malformed active version', { KEK_KEYS: JSON.stringify({ '1': k1 }), KEK_ACTIVE_VERSION: 'v1' }, /KEK_ACTIVE_VERSION: malformed/],
  ])('refuses %s', (_name, env, expected) => {
    expect(problemsOf(() => loadKekKeyring(env)).join('\n')).toMatch(expected);
  });

  it('refuses an unreadable KEK_FILE', () => {
    const problems = problemsOf(() =>
      loadKekKeyring({ KEK_FILE: '/missing' }, () => {
        throw new Error('ENOENT');
      }),
    );
    expect(problems).toEqual(['KEK_FILE: file cannot be read']);
  });
});
