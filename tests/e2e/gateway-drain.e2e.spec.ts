// Does a chat-gateway replica that gets SIGTERM leave the load balancer (readyz 503), finish its open streams and exit 0, while the other replicas serve every new request?
import * as path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { uniqueName, waitFor } from '@enclave/testing';
import { call } from './http';
import { runGroupIds, skipKafkaBacklog } from './support/kafka-backlog';
import { RoundRobinBalancer, type Backend } from './support/load-balancer';
import { localUrls, provisionTenant, type ProvisionedTenant } from './support/provision';
import { openSseStream, type OpenStream, type SseResult } from './support/sse-stream';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const stack = require('../../scripts/local-stack.js');

const PORT_BASE = 18100;
const REPLICAS = 3;
/** Kubernetes would allow terminationGracePeriodSeconds (120 s in the chart); far more than needed here. */
const GRACE_MS = 30_000;
const run = uniqueName('dr').replace(/[^a-z0-9]/gi, '').toLowerCase();
const dbPrefix = `dr${run.slice(-10)}`;
const logDir = path.join(__dirname, '../../.enclave/logs', dbPrefix);
const LONG = 'one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty';
const echo = (content: string) => {
  const words = content.split(/\s+/).filter(Boolean);
  return `Echo (${words.length} words): ${words.join(' ')}`;
};

jest.setTimeout(120_000);

describe('graceful drain of one of three chat-gateway replicas behind a load balancer', () => {
  let running: { procs: Record<string, ChildProcess>; stop: () => Promise<void> } | undefined;
  let tenant: ProvisionedTenant;
  let lb: RoundRobinBalancer;
  const backends: Backend[] = Array.from({ length: REPLICAS }, (_, i) => ({
    name: i === 0 ? 'chat-gateway' : `chat-gateway-${i + 1}`,
    url: `http://127.0.0.1:${stack.replicaHttpPort(PORT_BASE, 'chat-gateway', i + 1)}`,
  }));
  const seats: Array<{ token: string; conversationId: string }> = [];
  const nextSeat = () => {
    const seat = seats.shift();
    if (!seat) throw new Error('out of conversations: provision more');
    return seat;
  };
  const chat = (tag: string, content: string, model?: string): OpenStream => {
    const seat = nextSeat();
    return openSseStream(`${lb.url}/v1/conversations/${seat.conversationId}/messages`, {
      token: seat.token,
      body: model ? { content, model } : { content },
      headers: { 'x-test-tag': tag },
    });
  };
  const backendOf = (tag: string) => lb.routes.filter((r) => r.tag === tag).pop()?.backend;
  const expectWholeAnswer = (result: SseResult, content: string) => {
    expect({ status: result.status, ending: result.ending }).toEqual({ status: 200, ending: 'complete' });
    const deltas = result.events.filter((e) => e.event === 'delta').map((e) => e.data.content).join('');
    expect(deltas).toBe(echo(content));
    const done = result.events.find((e) => e.event === 'done');
    expect(done?.data.usage.completionTokens).toBeGreaterThan(0);
    expect(result.events.some((e) => e.event === 'error')).toBe(false);
  };

  const open = new Map<string, { stream: OpenStream; content: string }>();
  let victim = '';
  let exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  let chatsSent = 0;

  beforeAll(async () => {
    await skipKafkaBacklog({ brokers: stack.readInfraEnv().KAFKA_BROKERS.split(','), groupIds: runGroupIds(stack.SERVICES, dbPrefix) });
    running = await stack.startStack({
      portBase: PORT_BASE,
      dbPrefix,
      groupSuffix: dbPrefix,
      logDir,
      readyTimeoutMs: 90_000,
      authFirst: true,
      replicas: { 'chat-gateway': REPLICAS },
      extra: {
        // Slow answers: each word of a reply is a chunk 200 ms after the previous one.
        'fake-upstream': { FAKE_UPSTREAM_CHUNK_DELAY_MS: '200' },
        // After SIGTERM readiness fails at once; the replica keeps serving 1 s (the balancer
        // checks every 200 ms) before closing, then open streams finish (chart: 5 s).
        'chat-gateway': { SHUTDOWN_DRAIN_MS: '1000', RATE_LIMIT_PER_MINUTE: '10000' },
      },
    });
    const ports = stack.ports(PORT_BASE);
    tenant = await provisionTenant({
      urlFor: localUrls(ports),
      smtpApiUrl: stack.readInfraEnv().SMTP_API_URL,
      operatorToken: stack.loadSecrets().operatorToken,
      upstreamUrl: `http://127.0.0.1:${ports.upstream}/v1`,
      members: 2,
      conversationsPerMember: 10,
      // slow-<ms>: the fake upstream waits that long before its first byte.
      allowedModels: ['gpt-4o-mini', 'slow-1500'],
      label: run,
    });
    for (const member of tenant.members) for (const id of member.conversations) seats.push({ token: member.token, conversationId: id });
    lb = new RoundRobinBalancer(backends, { healthIntervalMs: 200 });
    await lb.start();
    expect(backends.map((b) => lb.healthOf(b.name))).toEqual(['ready', 'ready', 'ready']);
  }, 180_000);

  afterAll(async () => {
    await lb?.stop();
    await running?.stop();
  }, 30_000);

  it('spreads the open streams over the three replicas: some mid-answer, some still waiting for the provider', async () => {
    for (const tag of ['n1', 'n2', 'n3']) open.set(tag, { stream: chat(tag, LONG), content: LONG });
    await Promise.all(['n1', 'n2', 'n3'].map((tag) => open.get(tag)!.stream.first('delta')));
    for (const tag of ['s1', 's2', 's3']) open.set(tag, { stream: chat(tag, LONG, 'slow-1500'), content: LONG });
    chatsSent += 6;
    // The gateways have asked the provider for all three slow answers: those requests are in.
    await waitFor(
      async () => {
        const r = await call('GET', `http://127.0.0.1:${stack.ports(PORT_BASE).upstream}/__requests`);
        return r.body.requests.filter((q: { body: { model: string } }) => q.body.model === 'slow-1500').length === 3;
      },
      { timeoutMs: 10_000, intervalMs: 50, description: 'the three slow requests at the provider' },
    );
    const perBackend = backends.map((b) => [...open.keys()].filter((tag) => backendOf(tag) === b.name).length);
    expect(perBackend).toEqual([2, 2, 2]);
    victim = backendOf('n1')!;
    const victimTags = [...open.keys()].filter((tag) => backendOf(tag) === victim);
    expect(victimTags.some((t) => t.startsWith('n')) && victimTags.some((t) => t.startsWith('s'))).toBe(true);
    expect(open.get('n1')!.stream.events.some((e) => e.event === 'done')).toBe(false);
  });

  it('SIGTERM: readyz answers 503, the balancer stops routing to it, and requests during the drain all succeed elsewhere', async () => {
    const proc = running!.procs[victim]!;
    exited = new Promise((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal })));
    expect(proc.kill('SIGTERM')).toBe(true);
    await waitFor(() => lb.observations.some((o) => o.backend === victim && o.status === 503), {
      timeoutMs: 5_000,
      intervalMs: 20,
      description: `${victim}'s readyz answering 503 while it drains`,
    });
    expect(lb.healthOf(victim)).not.toBe('ready');
    const during = Array.from({ length: 6 }, (_, i) => `d${i + 1}`);
    for (const tag of during) {
      const result = await chat(tag, `during ${tag}`).result;
      expectWholeAnswer(result, `during ${tag}`);
      chatsSent += 1;
    }
    expect(during.map(backendOf).filter((b) => b === victim)).toEqual([]);
  });

  it('every stream that was open, on the terminated replica too, ends with the whole answer and a done event', async () => {
    for (const [tag, { stream, content }] of open) {
      const result = await stream.result;
      try {
        expectWholeAnswer(result, content);
      } catch (error) {
        throw new Error(`stream ${tag} (on ${backendOf(tag)}${backendOf(tag) === victim ? ', terminated' : ''}): ${(error as Error).message}`);
      }
    }
  });

  it('the terminated replica exits 0 within the grace period, after leaving readiness first', async () => {
    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      exited,
      new Promise<'still running'>((resolve) => (timer = setTimeout(() => resolve('still running'), GRACE_MS))),
    ]);
    clearTimeout(timer);
    expect(outcome).toEqual({ code: 0, signal: null });
    const seen = lb.observations.filter((o) => o.backend === victim).map((o) => o.health);
    const firstNotReady = seen.indexOf('not-ready');
    expect(firstNotReady).toBeGreaterThanOrEqual(0);
    expect(seen.slice(0, firstNotReady).every((h) => h === 'ready')).toBe(true);
    expect(seen.slice(firstNotReady)).not.toContain('ready');
  });

  it('after it exited, new requests go to the two other replicas and all succeed', async () => {
    await waitFor(() => lb.healthOf(victim) === 'unreachable', { timeoutMs: 5_000, intervalMs: 50, description: 'the balancer seeing the replica gone' });
    const after = ['a1', 'a2', 'a3', 'a4'];
    for (const tag of after) {
      expectWholeAnswer(await chat(tag, `after ${tag}`).result, `after ${tag}`);
      chatsSent += 1;
    }
    const used = new Set(after.map(backendOf));
    expect(used.has(victim)).toBe(false);
    expect(used.size).toBe(REPLICAS - 1);
    expect(lb.routes.filter((r) => r.error)).toEqual([]);
  });

  it('billing counts every chat, the drained replica’s included', async () => {
    const usage = await waitFor(
      async () => {
        const r = await call('GET', `http://127.0.0.1:${stack.ports(PORT_BASE).billing.http}/v1/tenants/${tenant.tenantId}/usage`, {
          token: tenant.admin.token,
        });
        return r.status === 200 && r.body.totals.messages >= chatsSent ? r.body : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 250, description: `${chatsSent} chats in billing` },
    );
    expect(usage.totals.messages).toBe(chatsSent);
  });
});
