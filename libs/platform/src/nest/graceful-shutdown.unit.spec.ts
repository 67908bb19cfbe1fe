// On a shutdown signal, does the service fail readiness before closing the app, then exit 0 (or 1 if closing fails)?
import type { INestApplicationContext } from '@nestjs/common';
import { Writable } from 'node:stream';
import { HealthRegistry } from '../health/health-registry';
import { createLogger } from '../logging/create-logger';
import { installGracefulShutdown } from './graceful-shutdown';

const logger = createLogger({ service: 't', level: 'silent', destination: new Writable({ write: (_c, _e, done) => done() }) });

function setup(close: () => Promise<void>) {
  const events: string[] = [];
  const health = new HealthRegistry();
  const app = { close: async () => { events.push(`close (draining=${health.draining})`); await close(); } } as unknown as INestApplicationContext;
  let resolveExit: (code: number) => void = () => undefined;
  const exited = new Promise<number>((resolve) => (resolveExit = resolve));
  const uninstall = installGracefulShutdown(app, { logger, health, signals: ['SIGUSR2'], exit: (code) => resolveExit(code) });
  return { events, exited, uninstall };
}

describe('installGracefulShutdown', () => {
  it('drains, closes the app, exits 0 and handles the signal only once', async () => {
    const { events, exited } = setup(async () => undefined);
    process.emit('SIGUSR2', 'SIGUSR2');
    expect(await exited).toBe(0);
    expect(events).toEqual(['close (draining=true)']);
    expect(process.listenerCount('SIGUSR2')).toBe(0);
  });

  it('exits 1 when closing fails', async () => {
    const { exited } = setup(async () => {
      throw new Error('kafka disconnect failed');
    });
    process.emit('SIGUSR2', 'SIGUSR2');
    expect(await exited).toBe(1);
  });

  it('can be uninstalled', () => {
    const { uninstall } = setup(async () => undefined);
    expect(process.listenerCount('SIGUSR2')).toBe(1);
    uninstall();
    expect(process.listenerCount('SIGUSR2')).toBe(0);
  });
});
