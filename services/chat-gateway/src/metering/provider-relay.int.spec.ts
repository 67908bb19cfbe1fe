// Over real HTTP to the fake provider: does the one relay hand every chunk to its sink in order,
// wait (untimed) for a full client, classify silence, cut-offs and error statuses, and abort the
// provider request when the client goes away?
import { start as startUpstream, type FakeUpstream } from '../../../../loadtests/fake-upstream/server';
import type { RelaySink } from './application/ports';
import { CompletionStreamReader } from './domain/completion-stream';
import { waitFor } from '@enclave/testing';
import { EgressClient } from '../egress/egress-client';
import { RawUpstream } from './infrastructure/raw-upstream';

const KEY = 'sk-test-relay-key-3310';
let upstream: FakeUpstream;
let slowUpstream: FakeUpstream;
let endpoint: RawUpstream;
let slowEndpoint: RawUpstream;
// The fake provider listens on loopback.
const egress = new EgressClient({ policy: { allowPrivate: false, allowLoopback: true } });

beforeAll(async () => {
  upstream = await startUpstream({ port: 0, keys: [KEY] });
  slowUpstream = await startUpstream({ port: 0, keys: [KEY], chunkDelayMs: 40 }); // one chunk per word
  endpoint = new RawUpstream({ provider: 'openai', baseUrl: upstream.url, apiKey: KEY }, egress);
  slowEndpoint = new RawUpstream({ provider: 'openai', baseUrl: slowUpstream.url, apiKey: KEY }, egress);
});

afterAll(async () => {
  egress.close();
  await upstream?.close();
  await slowUpstream?.close();
});

/** A sink that reads the deltas; `slowMs` makes it full for that long after each chunk. */
function sink(options: { slowMs?: number; leaveAfterChunks?: number } = {}) {
  const gone = new AbortController();
  const reader = new CompletionStreamReader();
  const seen = { heads: 0, chunks: 0, deltas: [] as string[] };
  const relaySink: RelaySink = {
    clientGone: gone.signal,
    head: () => void (seen.heads += 1),
    chunk(bytes) {
      seen.chunks += 1;
      seen.deltas.push(...reader.push(bytes));
      if (options.leaveAfterChunks === seen.chunks) gone.abort();
      return options.slowMs ? new Promise((resolve) => setTimeout(resolve, options.slowMs)) : undefined;
    },
  };
  return { relaySink, seen, reader };
}

const body = (model: string, content: string) =>
  Buffer.from(JSON.stringify({ model, stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content }] }));

describe('the provider relay', () => {
  it('hands the whole answer over in order, with the usage of its final chunk', async () => {
    const { relaySink, seen, reader } = sink();
    const outcome = await endpoint.relay(body('gpt-4o-mini', 'one two three'), true, relaySink, 2000);
    expect(outcome).toEqual({ providerAnswered: true, outcome: 'ok', failure: undefined });
    expect(seen.heads).toBe(1);
    expect(seen.deltas.join('')).toBe('Echo (3 words): one two three');
    expect(reader.usage).toEqual({ promptTokens: 4, completionTokens: 6 });
  });

  it('does not blame the provider while a slow client is still reading', async () => {
    // Each chunk keeps the client full for 250 ms, longer than the 150 ms the provider may be silent.
    const { relaySink, seen } = sink({ slowMs: 250 });
    const outcome = await slowEndpoint.relay(body('gpt-4o-mini', 'a b c d'), true, relaySink, 150);
    expect(outcome.outcome).toBe('ok');
    expect(seen.chunks).toBeGreaterThan(2);
    expect(seen.deltas.join('')).toBe('Echo (4 words): a b c d');
  });

  it('classifies a provider that never answers, stalls, or breaks off', async () => {
    expect((await endpoint.relay(body('fault-hang', 'x'), true, sink().relaySink, 300)).failure).toMatchObject({ kind: 'upstream_timeout', status: undefined });
    const stalled = await endpoint.relay(body('fault-stall', 'x y'), true, sink().relaySink, 300);
    expect(stalled).toMatchObject({ providerAnswered: true, outcome: 'upstream_error', failure: { kind: 'upstream_timeout' } });
    const broken = sink();
    expect((await endpoint.relay(body('fault-broken-stream', 'a b c d e f'), true, broken.relaySink, 2000)).failure).toMatchObject({ kind: 'upstream_stream_broken' });
    expect(broken.seen.deltas.length).toBeGreaterThan(0);
  });

  it('classifies error statuses without passing an answer to the sink', async () => {
    const { relaySink, seen } = sink();
    const limited = await endpoint.relay(body('fault-429', 'x'), true, relaySink, 2000);
    expect(limited).toMatchObject({ providerAnswered: false, outcome: 'upstream_error', failure: { kind: 'upstream_rate_limited', status: 429 } });
    const wrongKey = new RawUpstream({ provider: 'openai', baseUrl: upstream.url, apiKey: 'sk-wrong-0000' }, egress);
    expect((await wrongKey.relay(body('gpt-4o-mini', 'x'), true, relaySink, 2000)).failure).toMatchObject({ status: 401, credentialRejected: true });
    expect(seen.heads).toBe(0);
  });

  it('aborts the provider request when the client goes away', async () => {
    const { relaySink } = sink({ leaveAfterChunks: 2 });
    const words = Array.from({ length: 30 }, (_, i) => `w${i}`).join(' ');
    const outcome = await slowEndpoint.relay(body('gpt-4o-mini', `leave-4410 ${words}`), true, relaySink, 2000);
    expect(outcome).toEqual({ providerAnswered: true, outcome: 'client_aborted', failure: undefined });
    const seenByProvider = () => slowUpstream.requests().find((r) => JSON.stringify(r.body).includes('leave-4410'))?.outcome;
    await waitFor(() => seenByProvider() === 'client_closed', { timeoutMs: 5000, description: 'the provider to see the request aborted' });
  });
});
