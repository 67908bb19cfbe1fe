import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Where the local infrastructure started by `bash scripts/infra.sh up` listens. */
export interface InfraEnv {
  kafkaBrokers: string[];
  mongoUrl: string;
  redisUrl: string;
  smtpHost: string;
  smtpPort: number;
  smtpApiUrl: string;
}

const KEYS = ['KAFKA_BROKERS', 'MONGO_URL', 'REDIS_URL', 'SMTP_HOST', 'SMTP_PORT', 'SMTP_API_URL'] as const;
type Key = (typeof KEYS)[number];

export const INFRA_NOT_RUNNING = 'Local infrastructure is not running: run `bash scripts/infra.sh up`';

/** The repository root: the nearest directory above `from` that holds scripts/infra.sh. */
export function findRepoRoot(from: string = __dirname): string {
  let dir = from;
  for (;;) {
    if (existsSync(join(dir, 'scripts', 'infra.sh'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`No scripts/infra.sh in ${from} or any directory above it`);
    dir = parent;
  }
}

/** The path of infra.env: $ENCLAVE_HOME/infra.env, else <repo root>/.enclave/infra.env. */
export function infraEnvPath(env: NodeJS.ProcessEnv = process.env): string {
  const home = env.ENCLAVE_HOME || join(findRepoRoot(), '.enclave');
  return join(home, 'infra.env');
}

/** Parses KEY=value lines; blank lines and # comments are skipped, surrounding quotes removed. */
export function parseEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const key = line.slice(0, eq).trim();
    const value = line.slice(eq + 1).trim().replace(/^(['"])(.*)\1$/, '$2');
    out[key] = value;
  }
  return out;
}

/**
 * Builds an InfraEnv from infra.env's values with process.env taking precedence. Throws when a
 * value is missing or malformed.
 */
export function toInfraEnv(fileValues: Record<string, string>, env: NodeJS.ProcessEnv = process.env): InfraEnv {
  const value = (key: Key): string => {
    const v = env[key] || fileValues[key];
    if (!v) throw new Error(`${key} is not set in infra.env or the environment. ${INFRA_NOT_RUNNING}`);
    return v;
  };
  const brokers = value('KAFKA_BROKERS')
    .split(',')
    .map((b) => b.trim())
    .filter((b) => b !== '');
  const port = Number(value('SMTP_PORT'));
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error('SMTP_PORT is not a valid port number');
  return {
    kafkaBrokers: brokers,
    mongoUrl: value('MONGO_URL'),
    redisUrl: value('REDIS_URL'),
    smtpHost: value('SMTP_HOST'),
    smtpPort: port,
    smtpApiUrl: value('SMTP_API_URL').replace(/\/+$/, ''),
  };
}

/**
 * Reads the settings written by `bash scripts/infra.sh up`. Values in process.env override the
 * file's; when every value is in process.env (e.g. infrastructure run elsewhere) no file is needed.
 */
export function loadInfraEnv(env: NodeJS.ProcessEnv = process.env): InfraEnv {
  if (KEYS.every((k) => env[k])) return toInfraEnv({}, env);
  const path = infraEnvPath(env);
  if (!existsSync(path)) throw new Error(`${INFRA_NOT_RUNNING} (no ${path})`);
  return toInfraEnv(parseEnvFile(readFileSync(path, 'utf8')), env);
}
