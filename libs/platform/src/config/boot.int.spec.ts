// Does a real node process running bootOrExit with bad env exit non-zero (78), naming each bad variable but no value?
import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';

const repoRoot = path.resolve(__dirname, '../../../..');
const dist = path.join(repoRoot, 'libs/platform/dist/index.js');

const main = `
const { z } = require('zod');
const p = require(${JSON.stringify(dist)});
p.bootOrExit(() => {
  const config = p.loadConfig(z.object({ MONGO_URL: p.urlVar(['mongodb']), PORT: p.portVar(), VAULT_KEY: p.base64KeyVar(32) }));
  process.stdout.write('started on ' + config.PORT);
});
`;

function run(env: Record<string, string>) {
  return spawnSync(process.execPath, ['-e', main], { cwd: repoRoot, env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8', timeout: 30_000 });
}

beforeAll(() => {
  // The child process needs the compiled package, exactly as a service's main would load it.
  execFileSync(process.execPath, [path.join(repoRoot, 'node_modules/typescript/bin/tsc'), '-b', 'libs/platform'], { cwd: repoRoot, stdio: 'pipe' });
}, 120_000);

describe('bootOrExit in a real process', () => {
  it('exits 78 and lists every bad variable without printing values', () => {
    const secretKey = Buffer.from('sixteen byte key').toString('base64');
    const result = run({ PORT: '70000', VAULT_KEY: secretKey });
    expect(result.status).toBe(78);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('Invalid configuration (3 variables)');
    expect(result.stderr).toContain('MONGO_URL: missing');
    expect(result.stderr).toContain('PORT: malformed');
    expect(result.stderr).toContain('VAULT_KEY: malformed (expected base64 encoding exactly 32 bytes)');
    expect(result.stderr).not.toContain(secretKey);
    expect(result.stderr).not.toContain('70000');
  });

  it('starts normally when the environment is valid', () => {
    const result = run({ PORT: '8080', MONGO_URL: 'mongodb://127.0.0.1:27017/x', VAULT_KEY: Buffer.alloc(32, 1).toString('base64') });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('started on 8080');
  });
});
