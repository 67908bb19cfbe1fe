import http from 'node:http';
import https from 'node:https';
import {
  EgressRefusedError,
  guardedLookup,
  parseBaseUrl,
  ResolutionCache,
  type BaseUrlPolicy,
  type ResolutionCacheOptions,
} from '@enclave/platform';

export interface EgressOptions {
  /** ALLOW_PRIVATE_BASE_URLS / ALLOW_LOOPBACK_BASE_URLS; link-local and metadata addresses are never reached. */
  policy: BaseUrlPolicy;
  /** How long a DNS answer is reused (UPSTREAM_DNS_TTL_MS); the policy is checked on every new connection. */
  dns?: ResolutionCacheOptions;
  /** Told why a connection was refused (the reason only: never the URL, which is tenant configuration). */
  onRefused?: (reason: string) => void;
}

/** One checked origin (scheme, host, port) with its keep-alive agent. */
export class EgressOrigin {
  constructor(
    readonly url: URL,
    private readonly agent: http.Agent,
    private readonly onRefused: ((reason: string) => void) | undefined,
  ) {}

  /**
   * Starts a request to `path` on this origin; the caller ends it and reads the answer. Redirects
   * are never followed (node:http does not): a 3xx is the answer, and no request goes to its Location.
   */
  request(path: string, method: string, headers: http.OutgoingHttpHeaders): http.ClientRequest {
    const transport = this.url.protocol === 'https:' ? https.request : http.request;
    const request = transport({
      protocol: this.url.protocol,
      hostname: this.url.hostname,
      port: this.url.port || undefined,
      path,
      method,
      agent: this.agent,
      headers,
    });
    if (this.onRefused) {
      const report = this.onRefused;
      request.on('error', (error) => {
        if (error instanceof EgressRefusedError) report(error.message);
      });
    }
    return request;
  }
}

/**
 * The one HTTP client of every upstream (LLM provider) call. A base URL is checked against the
 * URL policy once when its endpoint is built (scheme, credentials, metadata names, address
 * literals); every new socket then resolves the host through a short-lived cache and connects
 * only if each address is allowed, to that address (TLS still verifies and SNI still names the
 * URL's host), so DNS changed after the URL was stored cannot point a member's prompt at an
 * internal address. Keep-alive agents, one per origin, shared by every tenant going there: warm
 * connections skip both DNS and the check.
 */
export class EgressClient {
  private readonly agents = new Map<string, http.Agent>();
  private readonly resolutions: ResolutionCache;

  constructor(private readonly options: EgressOptions) {
    this.resolutions = new ResolutionCache(options.dns);
  }

  /** The checked origin of a base URL, or the reason the policy refuses it (never echoing the URL). */
  origin(baseUrl: string): { ok: true; origin: EgressOrigin } | { ok: false; reason: string } {
    const parsed = parseBaseUrl(baseUrl, this.options.policy);
    if (!parsed.ok) return parsed;
    const url = new URL(parsed.value.url);
    return { ok: true, origin: new EgressOrigin(url, this.agentFor(url), this.options.onRefused) };
  }

  /** Closes every connection (shutdown, tests). */
  close(): void {
    for (const agent of this.agents.values()) agent.destroy();
    this.agents.clear();
  }

  private agentFor(url: URL): http.Agent {
    const key = `${url.protocol}//${url.host}`;
    let agent = this.agents.get(key);
    if (!agent) {
      const secure = url.protocol === 'https:';
      const options = {
        keepAlive: true,
        keepAliveMsecs: 15_000,
        maxFreeSockets: 1024,
        scheduling: 'lifo' as const,
        timeout: 60_000,
        lookup: guardedLookup(this.resolutions, this.options.policy, secure),
      };
      agent = secure ? new https.Agent(options) : new http.Agent(options);
      this.agents.set(key, agent);
    }
    return agent;
  }
}
