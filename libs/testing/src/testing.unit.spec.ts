// Do the test helpers parse infra settings, make unique names and poll the way tests rely on?
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findRepoRoot, loadInfraEnv, parseEnvFile, toInfraEnv, uniqueName, waitFor } from '@enclave/testing';

const FILE = `# comment
KAFKA_BROKERS=127.0.0.1:19092, 127.0.0.1:19094
MONGO_URL=mongodb://127.0.0.1:27027/
REDIS_URL="redis://127.0.0.1:16379"

SMTP_HOST=127.0.0.1
SMTP_PORT=11025
SMTP_API_URL=http://127.0.0.1:11080/
`;

describe('infra settings', () => {
  it('parses infra.env into typed settings', () => {
    expect(toInfraEnv(parseEnvFile(FILE), {})).toEqual({
      kafkaBrokers: ['127.0.0.1:19092', '127.0.0.1:19094'],
      mongoUrl: 'mongodb://127.0.0.1:27027/',
      redisUrl: 'redis://127.0.0.1:16379',
      smtpHost: '127.0.0.1',
      smtpPort: 11025,
      smtpApiUrl: 'http://127.0.0.1:11080',
    });
  });

  it('lets process.env override the file', () => {
    const env = toInfraEnv(parseEnvFile(FILE), { MONGO_URL: 'mongodb://db:1/', SMTP_PORT: '2525' });
    expect(env.mongoUrl).toBe('mongodb://db:1/');
    expect(env.smtpPort).toBe(2525);
  });

  it('rejects a malformed port', () => {
    expect(() => toInfraEnv({ ...parseEnvFile(FILE), SMTP_PORT: 'x' }, {})).toThrow('SMTP_PORT is not a valid port');
  });

  it('says how to start the infrastructure when infra.env is missing', () => {
    const home = mkdtempSync(join(tmpdir(), 'enclave-home-'));
    expect(() => loadInfraEnv({ ENCLAVE_HOME: home })).toThrow(
      'Local infrastructure is not running: run `bash scripts/infra.sh up`',
    );
  });

  it('reads infra.env from ENCLAVE_HOME', () => {
    const home = mkdtempSync(join(tmpdir(), 'enclave-home-'));
    writeFileSync(join(home, 'infra.env'), FILE);
    expect(loadInfraEnv({ ENCLAVE_HOME: home }).kafkaBrokers).toEqual(['127.0.0.1:19092', '127.0.0.1:19094']);
  });

  it('finds the repository root from inside it', () => {
    expect(findRepoRoot(__dirname)).toBe(join(__dirname, '..', '..', '..'));
  });
});

describe('uniqueName', () => {
  it('never repeats and is a valid database, topic and group name', () => {
    const names = Array.from({ length: 1000 }, () => uniqueName('Orders Service/Test'));
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) {
      expect(name).toMatch(/^orders-service-test-[a-z0-9-]+$/);
      expect(name.length).toBeLessThanOrEqual(63);
    }
  });

  it('stays within 63 characters for a long prefix', () => {
    expect(uniqueName('x'.repeat(200)).length).toBeLessThanOrEqual(63);
  });
});

describe('waitFor', () => {
  it('resolves with the first value that is not empty, retrying throws', async () => {
    let calls = 0;
    const value = await waitFor(
      () => {
        calls += 1;
        if (calls === 1) throw new Error('not ready');
        return calls < 3 ? undefined : 'ready';
      },
      { intervalMs: 1 },
    );
    expect(value).toBe('ready');
    expect(calls).toBe(3);
  });

  it('rejects with the description and the last error', async () => {
    await expect(
      waitFor(
        () => {
          throw new Error('connection refused');
        },
        { timeoutMs: 20, intervalMs: 5, description: 'the broker' },
      ),
    ).rejects.toThrow(/waiting for the broker; last error: connection refused/);
  });
});
