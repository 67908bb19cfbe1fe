import { createLogger } from '@enclave/platform';

/** The slice of a pino logger the eventing classes use (any pino Logger fits). */
export interface EventingLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export function defaultLogger(component: string): EventingLogger {
  return createLogger({ service: component, level: 'info' });
}

/** Error text safe for logs: name and message, never the payload. */
export function describeError(error: unknown): { err: string } {
  if (error instanceof Error) return { err: `${error.name}: ${error.message}` };
  return { err: String(error) };
}
