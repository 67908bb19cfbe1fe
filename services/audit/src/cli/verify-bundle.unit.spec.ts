// Does the command fail closed without a pinned key (exit 3 unless --trust-bundle-key), exit 0 for an intact bundle, 1 naming the first bad entry, 2 for unreadable input or bad usage, pin the key given with --public-key in any of its forms, and take --parallel / --single-thread?
import { entryLeaf } from '../merkle/domain/merkle-hash';
import { leafArrayHasher } from '../merkle/domain/merkle-tree';
import { assembleBundle, planBundle } from '../export/domain/assemble-bundle';
import { chainOf, checkpointAt, testSigningKey } from '../test-support/chains.helper.spec';
import { EXIT, runCli } from './verify-bundle';

const key = testSigningKey();
const log = chainOf('t-1', 12);
const bundle = assembleBundle({
  tenantId: 't-1',
  plan: planBundle(1, 12, [6, 12]),
  entries: log,
  checkpoints: [checkpointAt(log, 6, key), checkpointAt(log, 12, key)],
  subtree: leafArrayHasher(log.map((e) => entryLeaf(e.hash))),
  publicKey: { keyId: key.keyId, spki: key.spki },
  exportedAt: new Date('2025-03-02T00:00:00Z'),
});

async function run(args: string[], files: Record<string, string>) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    readFile: (path) => {
      if (!(path in files)) throw Object.assign(new Error('nope'), { code: 'ENOENT' });
      return files[path]!;
    },
    cwd: '/work',
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const intact = JSON.stringify(bundle);
const altered = JSON.stringify({ ...bundle, entries: bundle.entries.map((e) => (e.seq === 4 ? { ...e, subjectId: 'sub-forged' } : e)) });
const pem = key.publicKey.export({ format: 'pem', type: 'spki' }).toString();

describe('verify-bundle command', () => {
  it('fails closed without a pinned key: exit 3 and UNTRUSTED KEY, even for an intact bundle', async () => {
    const r = await run(['b.json'], { '/work/b.json': intact });
    expect(r.code).toBe(EXIT.untrustedKey);
    expect(r.out).toContain('RESULT: UNTRUSTED KEY');
    expect(r.err).toContain('--public-key');
  });

  it('exits 0 and reports an intact bundle when the bundle key is accepted explicitly', async () => {
    const r = await run(['b.json', '--trust-bundle-key'], { '/work/b.json': intact });
    expect(r.code).toBe(EXIT.intact);
    expect(r.out).toContain('RESULT: INTACT');
    expect(r.out).toContain('seq 1..12');
    expect(r.out).toContain('2 signature(s) valid, 2 root(s) recomputed');
  });

  it('exits 1 naming the first bad entry, its event and the reason', async () => {
    const r = await run(['/abs/b.json'], { '/abs/b.json': altered });
    expect(r.code).toBe(EXIT.broken);
    expect(r.out).toContain('RESULT: NOT INTACT — first problem at seq 4 (event t-1-e4): hash_mismatch');
  });

  it('prints the report as JSON with --json', async () => {
    const r = await run(['b.json', '--json'], { '/work/b.json': altered });
    expect(r.code).toBe(EXIT.broken);
    expect(JSON.parse(r.out)).toMatchObject({ intact: false, failure: { seq: 4, eventId: 't-1-e4', reason: 'hash_mismatch' } });
  });

  it.each([
    ['PEM', pem],
    ['base64 SPKI DER', key.spki],
    ['the public-key endpoint JSON', JSON.stringify({ algorithm: 'Ed25519', keyId: key.keyId, spki: key.spki })],
  ])('accepts a trusted key given as %s, and refuses a bundle signed by another', async (_form, text) => {
    expect((await run(['b.json', '--public-key', 'k'], { '/work/b.json': intact, '/work/k': text })).code).toBe(EXIT.intact);
    const other = testSigningKey();
    const r = await run(['b.json', `--public-key=k2`], { '/work/b.json': intact, '/work/k2': other.spki });
    expect(r.code).toBe(EXIT.broken);
    expect(r.out).toContain('untrusted_key');
  });

  it.each([
    ['a missing file', ['gone.json'], {}, 'file not found'],
    ['a file that is not JSON', ['b.json'], { '/work/b.json': 'PK\u0003\u0004' }, 'not JSON'],
    ['JSON that is not a bundle', ['b.json'], { '/work/b.json': '{"format":"other"}' }, '$.format'],
    ['a key file that is not a key', ['b.json', '--public-key', 'k'], { '/work/b.json': intact, '/work/k': 'hello' }, '--public-key file is not a public key'],
    ['no file', [], {}, 'no bundle file given'],
    ['an unknown option', ['b.json', '--fast'], { '/work/b.json': intact }, 'unknown option --fast'],
    ['two files', ['a.json', 'b.json'], {}, 'give one bundle file'],
    ['both thread options', ['b.json', '--parallel', '--single-thread'], { '/work/b.json': intact }, 'not both'],
    ['a pinned key and --trust-bundle-key', ['b.json', '--public-key', 'k', '--trust-bundle-key'], { '/work/b.json': intact, '/work/k': pem }, 'not both'],
  ])('exits 2 for %s', async (_label, args, files, message) => {
    const r = await run(args as string[], files as Record<string, string>);
    expect(r.code).toBe(EXIT.unreadable);
    expect(r.err).toContain(message);
  });

  it('gives the same verdict with --single-thread (the reference alone)', async () => {
    expect((await run(['b.json', '--single-thread', '--trust-bundle-key'], { '/work/b.json': intact })).code).toBe(EXIT.intact);
    const r = await run(['b.json', '--single-thread'], { '/work/b.json': altered });
    expect(r.code).toBe(EXIT.broken);
    expect(r.out).toContain('RESULT: NOT INTACT — first problem at seq 4 (event t-1-e4): hash_mismatch');
  });
});
