#!/usr/bin/env node
// Offline verifier of an audit evidence bundle. Needs nothing but the file: no network, no
// database, only node built-ins and audit's pure domain code.
//
//   node services/audit/dist/cli/verify-bundle.js bundle.json (--public-key key | --trust-bundle-key) [--json] [--parallel | --single-thread]
//   npm run -w @enclave/audit verify-bundle -- bundle.json
//
// --public-key: a key you trust (PEM, base64 SPKI DER, or the JSON of GET /v1/audit/public-key);
// the bundle's key must then be that key. It fails closed: without a pinned key, a bundle that is
// intact under its own key is still not proven (anyone can re-sign a forged log with a key of
// their own), so it exits 3 unless --trust-bundle-key accepts the bundle's key explicitly. From
// 20,000 entries the hashing runs on every core (worker threads); --parallel uses them for any
// size, --single-thread never. Exit 0: intact under a trusted key; 1: not intact, naming the
// first bad entry and why; 2: unreadable input or bad usage; 3: intact, but the key is untrusted.
import { createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { BundleFormatError, parseBundle } from '../export/domain/parse-bundle';
import type { BundleReport } from '../export/domain/verify-bundle';
import { PARALLEL_THRESHOLD, verifyBundleParallel } from '../export/parallel/verify-bundle-parallel';

export const EXIT = { intact: 0, broken: 1, unreadable: 2, untrustedKey: 3 } as const;

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  readFile(path: string): string;
  /** Where relative paths start: the caller's directory (npm run -w changes the cwd; INIT_CWD keeps it). */
  cwd: string;
}

const USAGE = 'usage: verify-bundle <bundle.json> (--public-key <file> | --trust-bundle-key) [--json] [--parallel | --single-thread]';

type Threads = 'auto' | 'parallel' | 'single';
const THRESHOLD: Record<Threads, number> = { auto: PARALLEL_THRESHOLD, parallel: 1, single: Number.POSITIVE_INFINITY };

export async function runCli(args: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseArgs(args);
  if ('error' in parsed) {
    io.err(`${parsed.error}\n${USAGE}`);
    return EXIT.unreadable;
  }
  const path = (p: string) => (isAbsolute(p) ? p : resolve(io.cwd, p));
  let report: BundleReport;
  try {
    const trustedPublicKey = parsed.publicKey === undefined ? undefined : readPublicKey(io.readFile(path(parsed.publicKey)));
    const bundle = parseBundle(JSON.parse(io.readFile(path(parsed.bundle))) as unknown);
    report = await verifyBundleParallel(bundle, { threshold: THRESHOLD[parsed.threads], ...(trustedPublicKey && { trustedPublicKey }) });
    if (parsed.json) io.out(JSON.stringify(report, null, 2));
    else printReport(report, trustedPublicKey !== undefined ? 'pinned' : parsed.trustBundleKey ? 'accepted' : 'untrusted', io);
  } catch (error) {
    io.err(`unreadable input: ${describe(error)}`);
    return EXIT.unreadable;
  }
  if (!report.intact) return EXIT.broken;
  if (parsed.publicKey === undefined && !parsed.trustBundleKey) {
    io.err("UNTRUSTED KEY: the bundle verifies only against the key it carries itself. Pass --public-key <file> with the key you trust (GET /v1/audit/public-key), or --trust-bundle-key to accept the bundle's key.");
    return EXIT.untrustedKey;
  }
  return EXIT.intact;
}

interface CliArgs { bundle: string; publicKey?: string; trustBundleKey: boolean; json: boolean; threads: Threads }

function parseArgs(args: readonly string[]): CliArgs | { error: string } {
  let bundle: string | undefined;
  let publicKey: string | undefined;
  let trustBundleKey = false;
  let json = false;
  let threads: Threads = 'auto';
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--json') json = true;
    else if (arg === '--trust-bundle-key') trustBundleKey = true;
    else if (arg === '--parallel' || arg === '--single-thread') {
      const chosen = arg === '--parallel' ? 'parallel' : 'single';
      if (threads !== 'auto' && threads !== chosen) return { error: 'give --parallel or --single-thread, not both' };
      threads = chosen;
    }
    else if (arg === '--public-key') {
      publicKey = args[++i];
      if (publicKey === undefined) return { error: '--public-key needs a file' };
    } else if (arg.startsWith('--public-key=')) publicKey = arg.slice('--public-key='.length);
    else if (arg.startsWith('-')) return { error: `unknown option ${arg}` };
    else if (bundle === undefined) bundle = arg;
    else return { error: 'give one bundle file' };
  }
  if (bundle === undefined) return { error: 'no bundle file given' };
  if (trustBundleKey && publicKey !== undefined) return { error: 'give --public-key or --trust-bundle-key, not both' };
  return { bundle, trustBundleKey, json, threads, ...(publicKey !== undefined && { publicKey }) };
}

/** PEM, base64 SPKI DER, or the JSON document GET /v1/audit/public-key serves. */
function readPublicKey(text: string): KeyObject {
  let key: KeyObject;
  try {
    const trimmed = text.trim();
    if (trimmed.startsWith('{')) {
      const doc = JSON.parse(trimmed) as { pem?: unknown; spki?: unknown };
      key = typeof doc.spki === 'string' ? createPublicKey({ key: Buffer.from(doc.spki, 'base64'), format: 'der', type: 'spki' }) : createPublicKey(String(doc.pem));
    } else if (trimmed.startsWith('-----BEGIN')) key = createPublicKey(trimmed);
    else key = createPublicKey({ key: Buffer.from(trimmed, 'base64'), format: 'der', type: 'spki' });
  } catch {
    throw new BundleFormatError('the --public-key file is not a public key (PEM, base64 SPKI DER, or the public-key JSON)');
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new BundleFormatError('the --public-key file is not an Ed25519 key');
  return key;
}

const KEY_TRUST = {
  pinned: 'checked against the trusted key given',
  accepted: "the bundle's own key, accepted with --trust-bundle-key",
  untrusted: "the bundle's own key, NOT TRUSTED: pass --public-key to pin the one you trust",
} as const;

function printReport(r: BundleReport, trust: keyof typeof KEY_TRUST, io: CliIo): void {
  io.out(`Enclave audit evidence bundle — tenant ${r.tenantId}, seq ${r.fromSeq}..${r.toSeq}`);
  io.out(`  signing key      ${r.keyId} (${KEY_TRUST[trust]})`);
  if (r.anchor) io.out(`  anchor           tree size ${r.anchor.treeSize}, root ${r.anchor.rootHash}, issued ${r.anchor.issuedAt}`);
  io.out(`  entries checked  ${r.entriesChecked}`);
  io.out(`  checkpoints      ${r.checkpointsVerified} signature(s) valid, ${r.rootsRecomputed} root(s) recomputed from the entries`);
  io.out(`  proofs           ${r.inclusionProofsVerified} inclusion, ${r.consistencyProofsVerified} consistency verified`);
  if (r.intact && trust === 'untrusted') {
    io.out('RESULT: UNTRUSTED KEY — intact under the key the bundle carries, which proves nothing until that key is pinned');
    return;
  }
  if (r.intact) {
    io.out('RESULT: INTACT — every entry hashes, links and is committed to by a checkpoint signed by the key above');
    return;
  }
  const f = r.failure!;
  const where = f.seq === null ? 'the bundle' : `seq ${f.seq}${f.eventId ? ` (event ${f.eventId})` : ' (entry absent)'}`;
  io.out(`RESULT: NOT INTACT — first problem at ${where}: ${f.reason}`);
  io.out(`  ${f.detail}`);
}

function describe(error: unknown): string {
  if (error instanceof BundleFormatError) return error.message;
  if (error instanceof SyntaxError) return `not JSON (${error.message})`;
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ENOENT') return 'file not found';
  if (code === 'EISDIR') return 'a directory, not a file';
  return (error as Error)?.message ?? String(error);
}

if (require.main === module) {
  void runCli(process.argv.slice(2), {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    readFile: (path) => readFileSync(path, 'utf8'),
    // Run through `npm run -w @enclave/audit verify-bundle`, the cwd is the workspace; INIT_CWD is the caller's.
    cwd: process.env.npm_lifecycle_event === 'verify-bundle' && process.env.INIT_CWD ? process.env.INIT_CWD : process.cwd(),
  }).then((code) => {
    process.exitCode = code;
  });
}
