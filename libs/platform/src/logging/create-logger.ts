import { context, trace } from '@opentelemetry/api';
import pino, { type DestinationStream, type Logger, type LevelWithSilent } from 'pino';
import { REDACTED, redactPaths, scrubString, scrubValue } from './redaction';

export type { Logger } from 'pino';
export type LogLevel = LevelWithSilent;

type ChildFn = (this: Logger, bindings: Record<string, unknown>, options?: object) => Logger;

export interface LoggerOptions {
  service: string;
  level?: LogLevel;
  /** Where JSON lines go; stdout by default. Tests pass a stream to read them back. */
  destination?: DestinationStream;
}

/**
 * A pino logger that cannot leak secrets or personal data: sensitive keys are replaced at any
 * depth (and by pino `redact` paths as a second layer), every string — including the message
 * and interpolation arguments — is scrubbed of key-, token- and email-looking text, and the
 * active trace/span ids are added so logs join up with traces.
 */
export function createLogger(options: LoggerOptions): Logger {
  const logger = pino(
    {
      level: options.level ?? 'info',
      base: { service: options.service },
      messageKey: 'msg',
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: redactPaths(), censor: REDACTED },
      formatters: {
        level: (label) => ({ level: label }),
        log: (object) => scrubValue(object) as Record<string, unknown>,
        bindings: (bindings) => scrubValue(bindings) as Record<string, unknown>,
      },
      hooks: {
        logMethod(args, method) {
          const scrubbed = args.map((arg) => (typeof arg === 'string' ? scrubString(arg) : arg));
          method.apply(this, scrubbed as Parameters<typeof method>);
        },
      },
      // Errors are already plain {type, message, stack} objects after formatters.log.
      serializers: { err: (value: unknown) => value },
      mixin: traceIds,
    },
    options.destination ?? pino.destination({ sync: false }),
  );
  // pino skips formatters.bindings for child loggers, so scrub bindings here; grandchildren
  // are created from children (Object.create) and inherit this override.
  const pinoChild = (Object.getPrototypeOf(logger) as { child: ChildFn }).child;
  const scrubbingChild: ChildFn = function (this: Logger, bindings, childOptions) {
    return pinoChild.call(this, scrubValue(bindings) as Record<string, unknown>, childOptions);
  };
  Object.defineProperty(logger, 'child', { value: scrubbingChild, writable: true, configurable: true });
  return logger;
}

function traceIds(): Record<string, string> {
  const span = trace.getSpan(context.active());
  if (!span) return {};
  const { traceId, spanId, traceFlags } = span.spanContext();
  if (!trace.isSpanContextValid(span.spanContext())) return {};
  return { trace_id: traceId, span_id: spanId, trace_flags: `0${traceFlags.toString(16)}`.slice(-2) };
}
