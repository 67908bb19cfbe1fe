// Does a service started with METRICS_PORT serve Prometheus metrics of its HTTP traffic at /metrics, and refuse a malformed port?
import { execFileSync, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';

const repoRoot = path.resolve(__dirname, '../../../..');
const fixture = path.join(__dirname, 'metrics.fixture.js');

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

const run = (env: Record<string, string>) =>
  spawnSync(process.execPath, [fixture], { cwd: path.join(repoRoot, 'libs/platform'), env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8', timeout: 60_000 });

beforeAll(() => {
  execFileSync(process.execPath, [path.join(repoRoot, 'node_modules/typescript/bin/tsc'), '-b', 'libs/platform'], { cwd: repoRoot, stdio: 'pipe' });
}, 120_000);

describe('Prometheus metrics', () => {
  it('serves the HTTP server metrics of the service at /metrics', async () => {
    const result = run({ METRICS_PORT: String(await freePort()) });
    expect(result.status).toBe(0);
    const scraped = JSON.parse(result.stdout) as { status: number; body: string };
    expect(scraped.status).toBe(200);
    expect(scraped.body).toMatch(/^# HELP http_server/m);
    expect(scraped.body).toContain('service_name="metrics-svc"');
  });

  it('exits 78 naming METRICS_PORT when it is not a port', () => {
    const result = run({ METRICS_PORT: 'ninety' });
    expect(result.status).toBe(78);
    expect(result.stderr).toContain('METRICS_PORT');
  });
});
