import { readFileSync } from 'node:fs';
import { ConfigError, type ConfigProblem } from '@enclave/platform';
import { KEY_BYTES } from '../../domain/crypto/sealed-box';

// The local key-encryption keys: versioned 32-byte master keys, from KEK_KEYS (JSON) or from
// the file KEK_FILE holding the same JSON (a mounted Kubernetes secret). Problems are reported
// by variable name and never include key material.

export interface KekKeyring {
  activeVersion: number;
  keys: ReadonlyMap<number, Buffer>;
}

export interface KekEnv {
  KEK_KEYS?: string;
  KEK_FILE?: string;
  KEK_ACTIVE_VERSION?: string;
}

const SHAPE = `a JSON object of version (positive integer) → base64 of exactly ${KEY_BYTES} bytes`;

export function loadKekKeyring(env: KekEnv, readFile: (path: string) => string = (p) => readFileSync(p, 'utf8')): KekKeyring {
  const problems: ConfigProblem[] = [];
  const inline = env.KEK_KEYS?.trim() || undefined;
  const file = env.KEK_FILE?.trim() || undefined;
  let keys: Map<number, Buffer> | undefined;
  if (inline && file) {
    problems.push({ variable: 'KEK_KEYS', reason: 'set KEK_KEYS or KEK_FILE, not both' });
  } else if (!inline && !file) {
    problems.push({ variable: 'KEK_KEYS', reason: 'missing (or set KEK_FILE to a file holding the same JSON)' });
  } else if (inline) {
    keys = parseKeys(inline, 'KEK_KEYS', problems);
  } else {
    let text: string | undefined;
    try {
      text = readFile(file!);
    } catch {
      problems.push({ variable: 'KEK_FILE', reason: 'file cannot be read' });
    }
    if (text !== undefined) keys = parseKeys(text, 'KEK_FILE', problems);
  }

  let activeVersion: number | undefined;
  const activeText = env.KEK_ACTIVE_VERSION?.trim();
  if (activeText) {
    if (/^[1-9]\d{0,8}$/.test(activeText)) activeVersion = Number(activeText);
    else problems.push({ variable: 'KEK_ACTIVE_VERSION', reason: 'malformed (expected a positive integer)' });
  } else if (keys && keys.size > 0) {
    activeVersion = Math.max(...keys.keys());
  }
  if (keys && activeVersion !== undefined && !keys.has(activeVersion)) {
    problems.push({ variable: 'KEK_ACTIVE_VERSION', reason: 'names a version that is not among the configured keys' });
  }
  if (problems.length > 0 || !keys || activeVersion === undefined) throw new ConfigError(problems);
  return { activeVersion, keys };
}

function parseKeys(text: string, variable: string, problems: ConfigProblem[]): Map<number, Buffer> | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    problems.push({ variable, reason: `malformed (expected ${SHAPE})` });
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || Object.keys(parsed).length === 0) {
    problems.push({ variable, reason: `malformed (expected ${SHAPE})` });
    return undefined;
  }
  const keys = new Map<number, Buffer>();
  for (const [version, value] of Object.entries(parsed as Record<string, unknown>)) {
    if (!/^[1-9]\d{0,8}$/.test(version)) {
      problems.push({ variable, reason: 'malformed (key versions must be positive integers)' });
      return undefined;
    }
    const key = typeof value === 'string' ? decodeBase64(value) : undefined;
    if (!key || key.length !== KEY_BYTES) {
      problems.push({ variable, reason: `malformed (key version ${version} is not base64 of exactly ${KEY_BYTES} bytes)` });
      return undefined;
    }
    keys.set(Number(version), key);
  }
  return keys;
}

function decodeBase64(text: string): Buffer | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : undefined;
}
