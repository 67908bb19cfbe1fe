// Do Nest's own log calls land in pino with their context, stack and level, and scrubbed?
import { Writable } from 'node:stream';
import { createLogger } from './create-logger';
import { PinoNestLogger } from './nest-logger';

function capture() {
  let raw = '';
  const stream = new Writable({ write: (chunk, _e, done) => ((raw += chunk.toString()), done()) });
  const logger = createLogger({ service: 'svc', level: 'trace', destination: stream });
  return { nest: new PinoNestLogger(logger), logger, lines: () => raw.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('PinoNestLogger', () => {
  it('maps log/warn/debug/verbose with the trailing context string', () => {
    const { nest, lines } = capture();
    nest.log('Mapped {/x, GET} route', 'RouterExplorer');
    nest.warn('careful');
    nest.debug('dbg', 'Ctx');
    nest.verbose('v', 'Ctx');
    expect(lines()).toEqual([
      expect.objectContaining({ level: 'info', msg: 'Mapped {/x, GET} route', context: 'RouterExplorer' }),
      expect.objectContaining({ level: 'warn', msg: 'careful' }),
      expect.objectContaining({ level: 'debug', msg: 'dbg', context: 'Ctx' }),
      expect.objectContaining({ level: 'trace', msg: 'v', context: 'Ctx' }),
    ]);
  });

  it('keeps the stack Nest passes to error() and scrubs secrets in it', () => {
    const { nest, lines } = capture();
    const stack = 'Error: boom for bob@example.com\n    at Foo.bar (foo.ts:1:1)';
    nest.error('boom for bob@example.com', stack, 'ExceptionsHandler');
    const [line] = lines();
    expect(line).toMatchObject({ level: 'error', msg: 'boom for [REDACTED]', context: 'ExceptionsHandler' });
    expect((line!.err as { stack: string }).stack).toContain('at Foo.bar');
    expect(JSON.stringify(line)).not.toContain('bob@example.com');
  });

  it('logs Error objects as err and applies setLogLevels', () => {
    const { nest, logger, lines } = capture();
    nest.error(new Error('bad'));
    nest.setLogLevels(['warn', 'error']);
    expect(logger.level).toBe('warn');
    nest.log('hidden');
    expect(lines()).toHaveLength(1);
    expect(lines()[0]).toMatchObject({ err: { type: 'Error', message: 'bad' } });
  });
});
