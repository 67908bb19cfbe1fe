// The benchmark's measuring helpers: the drain poll, the months a run spans, the audit trail
// read with its cursor, and process trees and memory read from /proc (Linux).
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const meter = require('./stack-meter');

type Probe = () => Promise<number>;
const counting = (values: number[]): Probe & { calls: number } => {
  const probe = (async () => values[Math.min(probe.calls++, values.length - 1)]!) as Probe & { calls: number };
  probe.calls = 0;
  return probe;
};

describe('waitForDrain', () => {
  it('reports each count once it reaches what was acknowledged, and stops asking that probe', async () => {
    const billed = counting([3, 7, 10, 10]);
    const audited = counting([0, 4, 8, 10, 10]);
    const result = await meter.waitForDrain({ acked: 10, probes: { billed, audited }, intervalMs: 1, capMs: 60_000 });
    expect(result.billed.count).toBe(10);
    expect(result.audited.count).toBe(10);
    expect(result.drainMs).not.toBeNull();
    expect(result.drainMs).toBeGreaterThanOrEqual(result.billed.ms);
    expect(billed.calls).toBe(3);
    expect(audited.calls).toBe(4);
  });

  it('says it did not drain when a count stays short until the cap, keeping the last count and error', async () => {
    let calls = 0;
    const audited = async () => {
      calls += 1;
      if (calls % 2 === 0) throw new Error('audit answered 503');
      return 4;
    };
    const result = await meter.waitForDrain({ acked: 5, probes: { billed: counting([5]), audited }, intervalMs: 1, capMs: 50 });
    expect(result.drainMs).toBeNull();
    expect(result.billed.ms).not.toBeNull();
    expect(result.audited).toMatchObject({ count: 4, ms: null });
    expect(result.lastError).toBe('audited: audit answered 503');
  });

  it('times each signal from the first poll it holds in, given the counts so far', async () => {
    const asked: boolean[] = [];
    const signals = {
      'caught up': async (state: { billed: { ms: number | null } }) => {
        asked.push(state.billed.ms !== null);
        return state.billed.ms !== null;
      },
      never: async () => false,
    };
    const result = await meter.waitForDrain({ acked: 2, probes: { billed: counting([1, 2]), audited: counting([1, 1, 2]) }, signals, intervalMs: 1, capMs: 60_000 });
    expect(asked.at(-1)).toBe(true);
    expect(asked.filter(Boolean)).toHaveLength(1);
    expect(result.signals['caught up']).toBeGreaterThanOrEqual(result.billed.ms);
    expect(result.signals.never).toBeNull();
  });
});

describe('monthsSince', () => {
  it('is the current month for a run started now, and two months for one started 40 days ago', () => {
    const now = new Date().toISOString().slice(0, 7);
    expect(meter.monthsSince(Date.now())).toEqual([now]);
    const earlier = meter.monthsSince(Date.now() - 40 * 24 * 3600 * 1000);
    expect(earlier).toHaveLength(2);
    expect(earlier[1]).toBe(now);
  });
});

describe('usageProbes', () => {
  // Billing's usage report per month, and audit's count of UsageRecorded entries.
  let server: Server;
  let entries = 0;
  let failing = false; // the count answers 503
  const queries: string[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      const url = new URL(req.url!, 'http://x');
      queries.push(`${url.pathname}?${url.searchParams}`);
      if (req.headers.authorization !== 'Bearer t') return void res.writeHead(401).end();
      if (url.pathname.endsWith('/usage')) return void res.end(JSON.stringify({ totals: { messages: url.searchParams.get('month') === '2026-01' ? 2 : 5 } }));
      if (failing) return void res.writeHead(503).end();
      res.end(JSON.stringify({ count: entries }));
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  });
  afterAll(() => server.close());
  const urlFor = (_service: string, path: string) => `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`;

  it("asks audit's count of the tenant's UsageRecorded entries", async () => {
    const probes = meter.usageProbes({ urlFor, tenantId: 'ten', token: 't', months: () => ['2026-01', '2026-02'] });
    entries = 1203;
    queries.length = 0;
    expect(await probes.audited()).toBe(1203);
    expect(queries).toEqual(['/v1/tenants/ten/audit/events/count?type=chat-gateway.UsageRecorded']);
  });

  it('fails the audit probe on a refused answer rather than counting it', async () => {
    const probes = meter.usageProbes({ urlFor, tenantId: 'ten', token: 't', months: () => ['2026-02'] });
    failing = true;
    await expect(probes.audited()).rejects.toThrow('answered 503');
    failing = false;
  });

  it('adds the billed completions of every month the run spans', async () => {
    const probes = meter.usageProbes({ urlFor, tenantId: 'ten', token: 't', months: () => ['2026-01', '2026-02'] });
    expect(await probes.billed()).toBe(7);
  });

  it('fails a probe on a refused answer rather than counting it', async () => {
    const probes = meter.usageProbes({ urlFor, tenantId: 'ten', token: 'wrong', months: () => ['2026-01'] });
    await expect(probes.billed()).rejects.toThrow('answered 401');
  });
});

describe('process trees and memory', () => {
  let child: ChildProcess;
  beforeAll(async () => {
    const script = "const b = Buffer.alloc(32 * 1024 * 1024, 1); process.stdout.write('ready'); setInterval(() => b[0]++, 1000)";
    child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'ignore'] });
    await new Promise((ok) => child.stdout!.once('data', ok));
  });
  afterAll(() => child.kill('SIGKILL'));

  it("finds a child in its parent's tree and reads its resident memory per phase", async () => {
    expect(meter.processTree(process.pid)).toContain(child.pid);
    const sampler = meter.memorySampler([{ name: 'child', pid: child.pid, kind: 'test' }], 20);
    sampler.start();
    sampler.setPhase('load');
    await new Promise((ok) => setTimeout(ok, 100));
    const [result] = sampler.stop();
    expect(result.peaksMb.load).toBeGreaterThan(32);
    expect(result.hwmMb).toBeGreaterThanOrEqual(result.peaksMb.load - 1);
  });

  it('returns nothing for a pid that does not exist', () => {
    expect(meter.readMemory(2 ** 30)).toBeNull();
    expect(meter.readStat(2 ** 30)).toBeNull();
  });
});
