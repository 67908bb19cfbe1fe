// Can any secret, token or email passed to the logger — by key, in a string, or in an error — reach the output?
import { Writable } from 'node:stream';
import { createLogger, type Logger } from './create-logger';

function capture(): { logger: Logger; lines: () => Record<string, unknown>[]; raw: () => string } {
  let raw = '';
  const stream = new Writable({
    write(chunk, _enc, done) {
      raw += chunk.toString();
      done();
    },
  });
  const logger = createLogger({ service: 'test-svc', level: 'trace', destination: stream });
  return { logger, raw: () => raw, lines: () => raw.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>) };
}

const PROVIDER_KEY = 'sk-proj-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789';
const JWT = 'eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ1c2VyLTEiLCJleHAiOjE3MDAwMDAwMDB9.c2lnbmF0dXJlLWJ5dGVzLWhlcmU';
const EMAIL = 'alice.smith+tag@example.co.uk';
const PASSWORD = 'correct horse battery staple';

describe('createLogger', () => {
  it('writes JSON lines with service and level label', () => {
    const { logger, lines } = capture();
    logger.info({ tenantId: 't-1' }, 'hello');
    expect(lines()[0]).toMatchObject({ service: 'test-svc', level: 'info', msg: 'hello', tenantId: 't-1' });
  });

  it('replaces sensitive keys at any depth and in any spelling', () => {
    const { logger, raw, lines } = capture();
    logger.info({
      req: { headers: { authorization: `Bearer ${JWT}`, cookie: 'sid=abc123secretcookie', 'set-cookie': ['sid=zzz999'], 'x-api-key': 'k-77777' } },
      user: { email: EMAIL, name: 'Alice Smith', profile: { displayName: 'Ally', password: PASSWORD } },
      deep: { a: { b: { c: { d: { apiKey: 'plain-api-key-value', api_key: 'plain-api-key-2', sessionToken: 'opaque-session-token' } } } } },
      chat: { messages: [{ role: 'user', content: 'my diary entry' }], text: 'more private text', plaintext: 'vault-plaintext' },
      key: 'raw-key-material',
      tokens: 1234,
    });
    const out = raw();
    for (const secret of [JWT, 'abc123secretcookie', 'zzz999', 'k-77777', EMAIL, 'Alice Smith', 'Ally', PASSWORD, 'plain-api-key-value',
      'plain-api-key-2', 'opaque-session-token', 'my diary entry', 'more private text', 'vault-plaintext', 'raw-key-material']) {
      expect(out).not.toContain(secret);
    }
    expect(out).toContain('[REDACTED]');
    expect(lines()[0]!.tokens).toBe(1234);
  });

  it('scrubs secret-looking text inside strings, including the message and format arguments', () => {
    const { logger, raw } = capture();
    logger.warn({ detail: `upstream said invalid key ${PROVIDER_KEY} for ${EMAIL}` }, 'calling with %s for %s', PROVIDER_KEY, EMAIL);
    logger.info(`jwt ${JWT} and url postgres://admin:s3cr3tpw@db:5432/x and AKIAABCDEFGHIJKLMNOP`);
    const out = raw();
    for (const secret of [PROVIDER_KEY, EMAIL, JWT, 's3cr3tpw', 'AKIAABCDEFGHIJKLMNOP']) expect(out).not.toContain(secret);
    expect(out).toContain('upstream said invalid key [REDACTED]');
    expect(out).toContain('postgres://[REDACTED]@db:5432/x');
  });

  it('serializes errors with type, message and stack, scrubbed', () => {
    const { logger, raw, lines } = capture();
    const error = Object.assign(new Error(`provider rejected ${PROVIDER_KEY}`), { code: 'E_UPSTREAM' });
    logger.error(error, 'call failed');
    logger.error({ err: new TypeError(`bad ${EMAIL}`) }, 'second');
    const [first, second] = lines();
    expect(first!.err).toMatchObject({ type: 'Error', message: 'provider rejected [REDACTED]', code: 'E_UPSTREAM' });
    expect(String((first!.err as { stack: string }).stack)).toContain('create-logger.unit.spec');
    expect(second!.err).toMatchObject({ type: 'TypeError', message: 'bad [REDACTED]' });
    expect(raw()).not.toContain(PROVIDER_KEY);
    expect(raw()).not.toContain(EMAIL);
  });

  it('scrubs child logger bindings and leaves the caller objects untouched', () => {
    const { logger, raw } = capture();
    const fields = { email: EMAIL, tenantId: 't-9' };
    logger.child({ requester: EMAIL }).info(fields, 'from child');
    expect(raw()).not.toContain(EMAIL);
    expect(raw()).toContain('t-9');
    expect(fields.email).toBe(EMAIL);
  });

  it('survives circular objects', () => {
    const { logger, lines } = capture();
    const a: Record<string, unknown> = { id: 1 };
    a.self = a;
    logger.info({ a }, 'cycle');
    expect(lines()[0]!.a).toEqual({ id: 1, self: '[Circular]' });
  });
});
