// Does the relay deliver deltas, end on the provider's silence, stop on client disconnect, and say why?
import { UpstreamFailure, type ProviderClient, type UpstreamEvent } from './provider-client';
import { relayCompletion, type DeltaSink } from './relay-completion';

type Step = UpstreamEvent | { kind: 'break' } | { kind: 'stall' };

/** A provider that plays a script; 'stall' waits until aborted, then ends quietly like the SDK. */
function scriptedProvider(steps: Step[], openFailure?: UpstreamFailure | 'hang') {
  const seen: { signal?: AbortSignal } = {};
  const client: ProviderClient = {
    async open(_request, signal) {
      seen.signal = signal;
      if (openFailure === 'hang') {
        await new Promise<never>((_, reject) =>
          signal.addEventListener('abort', () => reject(new UpstreamFailure('aborted', 'aborted')), { once: true }),
        );
      } else if (openFailure) {
        throw openFailure;
      }
      return (async function* () {
        for (const step of steps) {
          if (signal.aborted) return;
          if (step.kind === 'break') throw new UpstreamFailure('upstream_stream_broken', 'broke');
          if (step.kind === 'stall') {
            await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
            return;
          }
          yield step;
        }
      })();
    },
  };
  return { client, seen };
}

function recordingSink(onDelta?: (content: string, index: number) => Promise<void> | void) {
  const gone = new AbortController();
  const received: string[] = [];
  const sink: DeltaSink = {
    clientGone: gone.signal,
    async delta(content) {
      received.push(content);
      await onDelta?.(content, received.length - 1);
    },
  };
  return { sink, received, disconnect: () => gone.abort() };
}

const request = { model: 'm', messages: [{ role: 'user' as const, content: 'hi' }] };

afterEach(() => jest.useRealTimers());

describe('relayCompletion', () => {
  it('given a complete stream, then every delta in order, usage, outcome ok', async () => {
    const { client } = scriptedProvider([
      { kind: 'delta', content: 'Hel' },
      { kind: 'delta', content: 'lo' },
      { kind: 'usage', promptTokens: 3, completionTokens: 2 },
    ]);
    const { sink, received } = recordingSink();
    const result = await relayCompletion(client, request, sink, 1000);
    expect(received).toEqual(['Hel', 'lo']);
    expect(result).toEqual({
      providerAnswered: true,
      deliveredText: 'Hello',
      reported: { promptTokens: 3, completionTokens: 2 },
      outcome: 'ok',
      failure: undefined,
    });
  });

  it('given the provider refuses, then failed with its classification and nothing answered', async () => {
    const { client } = scriptedProvider([], new UpstreamFailure('upstream_rate_limited', 'slow down'));
    const { sink } = recordingSink();
    const result = await relayCompletion(client, request, sink, 1000);
    expect(result.outcome).toBe('failed');
    expect(result.providerAnswered).toBe(false);
    expect(result.failure?.kind).toBe('upstream_rate_limited');
  });

  it('given a stream that breaks, then the delivered part and stream_broken', async () => {
    const { client } = scriptedProvider([{ kind: 'delta', content: 'par' }, { kind: 'break' }]);
    const { sink } = recordingSink();
    const result = await relayCompletion(client, request, sink, 1000);
    expect(result).toMatchObject({ outcome: 'failed', deliveredText: 'par', providerAnswered: true });
    expect(result.failure?.kind).toBe('upstream_stream_broken');
  });

  it('given a provider that never answers, then a timeout and the upstream request aborted', async () => {
    jest.useFakeTimers();
    const { client, seen } = scriptedProvider([], 'hang');
    const { sink } = recordingSink();
    const pending = relayCompletion(client, request, sink, 500);
    await jest.advanceTimersByTimeAsync(500);
    const result = await pending;
    expect(result.failure?.kind).toBe('upstream_timeout');
    expect(result.providerAnswered).toBe(false);
    expect(seen.signal?.aborted).toBe(true);
  });

  it('given a provider that stalls mid-stream, then a timeout after the delivered part', async () => {
    jest.useFakeTimers();
    const { client } = scriptedProvider([{ kind: 'delta', content: 'a' }, { kind: 'stall' }]);
    const { sink } = recordingSink();
    const pending = relayCompletion(client, request, sink, 500);
    await jest.advanceTimersByTimeAsync(500);
    const result = await pending;
    expect(result).toMatchObject({ outcome: 'failed', deliveredText: 'a' });
    expect(result.failure?.kind).toBe('upstream_timeout');
  });

  it('given the client disconnects, then the upstream is aborted and the outcome is client_aborted', async () => {
    const { client, seen } = scriptedProvider([{ kind: 'delta', content: 'a' }, { kind: 'delta', content: 'b' }, { kind: 'stall' }]);
    const { sink, disconnect } = recordingSink((_content, index) => {
      if (index === 1) disconnect();
    });
    const result = await relayCompletion(client, request, sink, 60_000);
    expect(result).toMatchObject({ outcome: 'client_aborted', deliveredText: 'ab', failure: undefined });
    expect(seen.signal?.aborted).toBe(true);
  });

  it('does not blame the provider while a slow client is still reading', async () => {
    jest.useFakeTimers();
    const { client } = scriptedProvider([{ kind: 'delta', content: 'a' }, { kind: 'delta', content: 'b' }]);
    let releaseReader!: () => void;
    const { sink, received } = recordingSink((_c, index) =>
      index === 0 ? new Promise<void>((resolve) => (releaseReader = resolve)) : undefined,
    );
    const pending = relayCompletion(client, request, sink, 500);
    await jest.advanceTimersByTimeAsync(2000);
    releaseReader();
    const result = await pending;
    expect(received).toEqual(['a', 'b']);
    expect(result.outcome).toBe('ok');
  });
});
