import http from 'node:http';
import https from 'node:https';
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
 * Keep-alive agents, one per provider origin and shared by every tenant and key version going
 * there: a rotated key (new cache entry) keeps the warm connections, and the number of agents
 * is bounded by the number of distinct provider endpoints. LIFO reuse keeps few sockets hot.
 */
const agents = new Map<string, http.Agent>();

function agentFor(url: URL): http.Agent {
  const origin = `${url.protocol}//${url.host}`;
  let agent = agents.get(origin);
  if (!agent) {
    const options = { keepAlive: true, keepAliveMsecs: 15_000, maxFreeSockets: 1024, scheduling: 'lifo' as const, timeout: 60_000 };
    agent = url.protocol === 'https:' ? new https.Agent(options) : new http.Agent(options);
    agents.set(origin, agent);
  }
  return agent;
}

/** Closes idle provider connections (shutdown, tests). */
export function closeUpstreamAgents(): void {
  for (const agent of agents.values()) agent.destroy();
  agents.clear();
}

/**
 * The provider endpoint of one credential, for both front doors, spoken to with node:http
 * directly: the request body is ours (already serialized), and the answer's bytes are relayed as
 * they arrive, so an SDK that parses every chunk into objects would only add work. (Measured
 * against fetch and the openai SDK: see bench/upstream-clients.js.) Holds the plaintext key.
 */
export class RawUpstream implements ProviderEndpoint {
  private readonly url: URL;
  private readonly basePath: string;
  private readonly agent: http.Agent;
  private readonly transport: typeof http.request;
  private readonly authorization: string;

  constructor(credential: EndpointCredential) {
    this.url = new URL(baseUrlFor(credential));
    this.basePath = this.url.pathname.replace(/\/+$/, '');
    this.agent = agentFor(this.url);
    this.transport = this.url.protocol === 'https:' ? https.request : http.request;
    this.authorization = `Bearer ${credential.apiKey}`;
  }

  relay(body: Buffer, stream: boolean, sink: RelaySink, timeoutMs: number): Promise<RelayOutcome> {
    return relayCompletion(this, body, stream, sink, timeoutMs);
  }

  /** Starts POST <base>/<path> with a JSON body; the caller handles the response and errors. */
  post(path: string, body: Buffer, stream: boolean): http.ClientRequest {
    const request = this.transport({
      protocol: this.url.protocol,
      hostname: this.url.hostname,
      port: this.url.port || undefined,
      path: `${this.basePath}${path}`,
      method: 'POST',
      agent: this.agent,
      headers: {
        authorization: this.authorization,
        'content-type': 'application/json',
        'content-length': body.length,
        accept: stream ? 'text/event-stream' : 'application/json',
      },
    });
    request.end(body);
    return request;
  }
}
