import OpenAI, { APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import type { ProviderCredential } from '../../credentials/application/credential-cache';
import { UpstreamFailure, type ProviderClient, type UpstreamEvent, type UpstreamRequest } from '../application/provider-client';

/** Public OpenAI-compatible endpoints by provider name, used when the key has no base URL. */
const PUBLIC_BASE_URLS: Record<string, string> = {
  openai: 'https://api.openai.com/v1',
  xai: 'https://api.x.ai/v1',
  anthropic: 'https://api.anthropic.com/v1', // Anthropic's OpenAI SDK compatibility endpoint
};

export function baseUrlFor(credential: Pick<ProviderCredential, 'provider' | 'baseUrl'>): string {
  return credential.baseUrl || PUBLIC_BASE_URLS[credential.provider.toLowerCase()] || PUBLIC_BASE_URLS.openai!;
}

/**
 * One SDK client per (tenant, key version), built when the credential is cached. maxRetries 0:
 * a retry would repeat a paid request and hide failures from the member, who can retry.
 * `timeoutMs` bounds the wait for the response head; the relay bounds gaps between chunks.
 */
export function openAiClientFactory(timeoutMs: number) {
  return (credential: ProviderCredential): ProviderClient =>
    new OpenAiProviderClient(new OpenAI({ apiKey: credential.apiKey, baseURL: baseUrlFor(credential), maxRetries: 0, timeout: timeoutMs }));
}

export class OpenAiProviderClient implements ProviderClient {
  constructor(private readonly sdk: OpenAI) {}

  async open(request: UpstreamRequest, signal: AbortSignal): Promise<AsyncIterable<UpstreamEvent>> {
    try {
      const stream = await this.sdk.chat.completions.create(
        { model: request.model, messages: request.messages, stream: true, stream_options: { include_usage: true } },
        { signal },
      );
      return events(stream);
    } catch (error) {
      throw classifyOpenFailure(error);
    }
  }
}

async function* events(stream: AsyncIterable<OpenAI.Chat.Completions.ChatCompletionChunk>): AsyncGenerator<UpstreamEvent> {
  try {
    for await (const chunk of stream) {
      const content = chunk.choices[0]?.delta?.content;
      if (content) yield { kind: 'delta', content };
      if (chunk.usage) {
        yield { kind: 'usage', promptTokens: chunk.usage.prompt_tokens, completionTokens: chunk.usage.completion_tokens };
      }
    }
  } catch (error) {
    if (error instanceof APIUserAbortError) throw new UpstreamFailure('aborted', 'request aborted');
    throw new UpstreamFailure('upstream_stream_broken', 'the provider stream broke off before the answer was complete');
  }
}

/** Maps an error raised before the first byte to a client-facing failure. */
export function classifyOpenFailure(error: unknown): UpstreamFailure {
  if (error instanceof APIUserAbortError) return new UpstreamFailure('aborted', 'request aborted');
  if (error instanceof APIConnectionTimeoutError) return new UpstreamFailure('upstream_timeout', 'the provider did not answer in time');
  if (error instanceof APIError && error.status !== undefined) {
    const status = error.status;
    if (status === 429) return new UpstreamFailure('upstream_rate_limited', 'the provider is rate limiting this instance; retry shortly');
    if (status === 408 || status === 504) return new UpstreamFailure('upstream_timeout', 'the provider did not answer in time');
    if (status === 401 || status === 403) return new UpstreamFailure('upstream_error', "the provider rejected this instance's key", true);
    if (status === 404) return new UpstreamFailure('upstream_error', 'the provider does not know this model');
    if (status >= 400 && status < 500) return new UpstreamFailure('upstream_error', `the provider refused the request (${status})`);
    return new UpstreamFailure('upstream_error', `the provider failed (${status})`);
  }
  return new UpstreamFailure('upstream_error', 'could not reach the provider');
}
