// Does readiness report each check's state (without error text), time out hung checks, and fail once draining?
import { HealthRegistry } from './health-registry';

describe('HealthRegistry', () => {
  it('is ok with no checks and when every check passes', async () => {
    const registry = new HealthRegistry();
    expect(await registry.readiness()).toEqual({ status: 'ok', checks: {} });
    registry.register('mongo', async () => undefined);
    registry.register('kafka', () => true);
    expect(await registry.readiness()).toEqual({ status: 'ok', checks: { mongo: 'ok', kafka: 'ok' } });
  });

  it('names failing and timed-out checks but not their errors', async () => {
    const registry = new HealthRegistry({ checkTimeoutMs: 20 });
    registry.register('mongo', async () => {
      throw new Error('auth failed for mongodb://u:secret@db');
    });
    registry.register('kafka', () => false);
    registry.register('redis', () => new Promise<void>(() => undefined));
    registry.register('ok', () => undefined);
    const report = await registry.readiness();
    expect(report).toEqual({ status: 'unavailable', checks: { mongo: 'failing', kafka: 'failing', redis: 'timeout', ok: 'ok' } });
    expect(JSON.stringify(report)).not.toContain('secret');
  });

  it('reports draining once set, even with healthy checks', async () => {
    const registry = new HealthRegistry();
    registry.register('mongo', () => true);
    registry.setDraining();
    expect(registry.draining).toBe(true);
    expect(await registry.readiness()).toEqual({ status: 'draining', checks: { mongo: 'ok' } });
  });

  it('refuses duplicate names and allows unregistering', async () => {
    const registry = new HealthRegistry();
    registry.register('mongo', () => false);
    expect(() => registry.register('mongo', () => true)).toThrow('already registered');
    registry.unregister('mongo');
    expect((await registry.readiness()).status).toBe('ok');
  });
});
