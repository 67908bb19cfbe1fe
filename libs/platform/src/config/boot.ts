import { scrubString } from '../logging/redaction';
import { ConfigError } from './config-error';

/** BSD sysexits EX_CONFIG: the process cannot start because its configuration is wrong. */
export const EXIT_CONFIG = 78;
export const EXIT_STARTUP_FAILED = 1;

export interface BootIo {
  stderr: { write(text: string): unknown };
  exit(code: number): void;
}

const processIo: BootIo = { stderr: process.stderr, exit: (code) => process.exit(code) };

/**
 * Runs a service's start-up. A ConfigError is printed as is (it names variables, never values)
 * and exits with 78; any other start-up error is printed scrubbed of secret-looking text and
 * exits with 1. Use as the last line of main.ts: `void bootOrExit(main);`.
 */
export async function bootOrExit(start: () => unknown, io: BootIo = processIo): Promise<void> {
  try {
    await start();
  } catch (error) {
    if (error instanceof ConfigError) {
      io.stderr.write(`${error.message}\n`);
      io.exit(EXIT_CONFIG);
      return;
    }
    const text = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
    io.stderr.write(`Start-up failed: ${scrubString(text)}\n`);
    io.exit(EXIT_STARTUP_FAILED);
  }
}
