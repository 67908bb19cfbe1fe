import mongoose from 'mongoose';
import { bootOrExit, createLogger, type Logger } from '@enclave/platform';
import { RewrapDataKeys, type RewrapReport } from '../application/rewrap-data-keys';
import { loadStorageConfig, SERVICE_NAME } from '../config';
import { LocalKekProvider } from '../infrastructure/kek/local-kek-provider';
import { openStorage } from '../storage';

// Operator CLI: re-wraps every live data key under the active KEK version, with the same
// environment as the service (MONGO_URL, MONGO_DB, KEK_KEYS or KEK_FILE, KEK_ACTIVE_VERSION).
//   node services/key-vault/dist/cli/rewrap.js [--batch-size N] [--max-keys N]
// Prints the report as JSON on stdout (logs go to stderr); exits 0 when complete, 3 when keys remain (bounded run
// or keys whose KEK version is not configured), non-zero on errors. Safe to run while the
// service runs, and to run again (idempotent, resumable). The events it records are published
// by the service's outbox relay.

export interface CliArgs {
  batchSize?: number;
  maxKeys?: number;
}

export function parseArgs(argv: readonly string[]): CliArgs {
  const args: CliArgs = {};
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i];
    const value = Number(argv[i + 1]);
    if ((flag === '--batch-size' || flag === '--max-keys') && Number.isInteger(value) && value > 0) {
      args[flag === '--batch-size' ? 'batchSize' : 'maxKeys'] = value;
      i += 1;
    } else {
      throw new Error(`unknown or malformed argument ${JSON.stringify(flag)} (expected --batch-size N, --max-keys N)`);
    }
  }
  return args;
}

export async function runRewrapCli(env: NodeJS.ProcessEnv, args: CliArgs, logger?: Logger): Promise<RewrapReport> {
  const config = loadStorageConfig(env);
  const log = logger ?? createLogger({ service: `${SERVICE_NAME}-rewrap`, level: config.logLevel, destination: process.stderr });
  const connection = await mongoose.createConnection(config.mongo.url, { dbName: config.mongo.db, serverSelectionTimeoutMS: 10_000 }).asPromise();
  try {
    const { records, subjectKeys, streams } = await openStorage(connection, () => new Date());
    const rewrap = new RewrapDataKeys({ kek: new LocalKekProvider(config.kek), stores: [records, subjectKeys], journal: streams, publisher: { nudge: () => undefined }, logger: log });
    return await rewrap.execute({ trigger: 'operator-cli', ...args });
  } finally {
    await connection.close();
  }
}

if (require.main === module) {
  void bootOrExit(async () => {
    const report = await runRewrapCli(process.env, parseArgs(process.argv.slice(2)));
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    process.exitCode = report.complete ? 0 : 3;
  });
}
