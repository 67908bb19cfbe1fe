// In a real process started like a service, does startTelemetry trace HTTP and gRPC as one trace, and put its ids in logs?
import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';

const repoRoot = path.resolve(__dirname, '../../../..');

interface FixtureOutput {
  body: { http: string; grpc: string };
  spans: { name: string; kind: number; traceId: string; service: string; caller?: string }[];
  log: Record<string, unknown>;
}

let output: FixtureOutput;

beforeAll(() => {
  execFileSync(process.execPath, [path.join(repoRoot, 'node_modules/typescript/bin/tsc'), '-b', 'libs/platform'], { cwd: repoRoot, stdio: 'pipe' });
  const result = spawnSync(process.execPath, [path.join(__dirname, 'start-telemetry.fixture.js')], {
    cwd: path.join(repoRoot, 'libs/platform'),
    env: { PATH: process.env.PATH ?? '' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (result.status !== 0) throw new Error(`fixture failed (${result.status}): ${result.stderr}`);
  output = JSON.parse(result.stdout) as FixtureOutput;
}, 120_000);

describe('startTelemetry', () => {
  it('creates HTTP server/client and gRPC server/client spans for the service', () => {
    const kinds = output.spans.map((s) => `${s.kind}:${s.name}`);
    // SpanKind: 1 SERVER, 2 CLIENT
    expect(kinds).toEqual(expect.arrayContaining(['1:GET', '2:GET', '1:grpc.enclave.test.v1.Echo/Echo', '2:grpc.enclave.test.v1.Echo/Echo']));
    expect(new Set(output.spans.map((s) => s.service))).toEqual(new Set(['fixture-svc']));
  });

  it('joins every span into one trace across HTTP and gRPC hops', () => {
    const traceIds = new Set(output.spans.map((s) => s.traceId));
    expect(traceIds.size).toBe(1);
    const [traceId] = [...traceIds];
    expect(output.body.http).toContain(traceId);
    expect(output.body.grpc).toContain(traceId);
    expect(output.body.grpc).not.toBe(output.body.http);
  });

  it('records the verified caller on the gRPC server span', () => {
    const serverSpan = output.spans.find((s) => s.kind === 1 && s.name.startsWith('grpc.'));
    expect(serverSpan?.caller).toBe('caller');
  });

  it('adds trace and span ids to log lines written inside a span', () => {
    expect(output.log.trace_id).toBe(output.spans[0]!.traceId);
    expect(output.log.span_id).toMatch(/^[0-9a-f]{16}$/);
  });
});
