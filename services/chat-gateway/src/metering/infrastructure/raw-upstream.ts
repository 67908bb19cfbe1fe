import type http from 'node:http';
import { EgressRefusedError } from '@enclave/platform';
import type { EgressClient, EgressOrigin } from '../../egress/egress-client';
import type { ProviderEndpoint, RelayOutcome, RelaySink } from '../application/ports';
import { relayCompletion } from './provider-relay';

/** What a provider endpoint needs of a decrypted credential. */
export interface EndpointCredential {
  provider: string;
  /** Empty: the provider's public endpoint. */
  baseUrl: string;
  apiKey: string;
}

/** Public OpenAI-compatible endpoints by provider name, used when the key has no base URL. */
const PUBLIC_BASE_URLS: Record<string, string> = {
  openai: 'https://api.openai.com/v1',
  xai: 'https://api.x.ai/v1',
  anthropic: 'https://api.anthropic.com/v1', // Anthropic's OpenAI SDK compatibility endpoint
};

export function baseUrlFor(credential: Pick<EndpointCredential, 'provider' | 'baseUrl'>): string {
  return credential.baseUrl || PUBLIC_BASE_URLS[credential.provider.toLowerCase()] || PUBLIC_BASE_URLS.openai!;
}

/**
 * The provider endpoint of one credential, for both front doors, spoken to with node:http
 * directly through the egress client (policy-checked, pinned, keep-alive connections): the
 * request body is ours (already serialized), and the answer's bytes are relayed as they arrive,
 * so an SDK that parses every chunk into objects would only add work. (Measured against fetch
 * and the openai SDK: see bench/upstream-clients.js.) Holds the plaintext key. A base URL the
 * policy refuses gives an endpoint whose every request fails before anything is sent.
 */
export class RawUpstream implements ProviderEndpoint {
  private readonly origin: EgressOrigin | undefined;
  private readonly refusal: string | undefined;
  private readonly basePath: string;
  private readonly authorization: string;

  constructor(credential: EndpointCredential, egress: EgressClient) {
    const checked = egress.origin(baseUrlFor(credential));
    this.origin = checked.ok ? checked.origin : undefined;
    this.refusal = checked.ok ? undefined : checked.reason;
    this.basePath = checked.ok ? checked.origin.url.pathname.replace(/\/+$/, '') : '';
    this.authorization = `Bearer ${credential.apiKey}`;
  }

  relay(body: Buffer, stream: boolean, sink: RelaySink, timeoutMs: number): Promise<RelayOutcome> {
    return relayCompletion(this, body, stream, sink, timeoutMs);
  }

  /** Starts POST <base>/<path> with a JSON body; the caller handles the response and errors. */
  post(path: string, body: Buffer, stream: boolean): http.ClientRequest {
    if (!this.origin) throw new EgressRefusedError(this.refusal ?? 'base URL refused');
    const request = this.origin.request(`${this.basePath}${path}`, 'POST', {
      authorization: this.authorization,
      'content-type': 'application/json',
      'content-length': body.length,
      accept: stream ? 'text/event-stream' : 'application/json',
    });
    request.end(body);
    return request;
  }
}
