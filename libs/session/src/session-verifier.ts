import { keyResolverFromJwks, verifyJwt, TokenInvalid, type Jwks, type KeyResolver } from '@enclave/platform';
import { fromJwtClaims, SESSION_AUDIENCE, SESSION_ISSUER, type SessionClaims } from './session-claims';

export interface SessionVerifier {
  /** Throws TokenExpired / TokenInvalid; never does network I/O for a known key. */
  verify(token: string): Promise<SessionClaims>;
}

/** Verifies against a fixed key set (tests, or keys mounted from a secret). */
export class StaticKeysSessionVerifier implements SessionVerifier {
  private readonly resolve: KeyResolver;
  constructor(jwks: Jwks, private readonly now: () => number = Date.now) {
    this.resolve = keyResolverFromJwks(jwks);
  }
  async verify(token: string): Promise<SessionClaims> {
    return fromJwtClaims(verifyJwt(token, this.resolve, { audience: SESSION_AUDIENCE, issuer: SESSION_ISSUER, now: this.now }));
  }
}

export interface JwksVerifierOptions {
  jwksUrl: string;
  /** Minimum time between two fetches triggered by unknown key ids (default 5 s). */
  minRefetchMs?: number;
  /** Periodic refresh so retired keys disappear (default 10 min). */
  refreshEveryMs?: number;
  fetchTimeoutMs?: number;
  now?: () => number;
}

/**
 * Verifies sessions locally with the public keys auth publishes. The key set is fetched once
 * and then only when a token names an unknown key id (rate-limited) or on the periodic refresh,
 * so the chat hot path does one Ed25519 verification and no network round trip.
 */
export class JwksSessionVerifier implements SessionVerifier {
  private resolve: KeyResolver = () => undefined;
  private lastFetch = 0;
  private loaded = false;
  private inflight: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: JwksVerifierOptions) {}

  /** Starts the periodic refresh; the first fetch may fail while auth is still starting. */
  start(): void {
    void this.refresh().catch(() => undefined);
    this.timer = setInterval(() => void this.refresh().catch(() => undefined), this.options.refreshEveryMs ?? 600_000);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async verify(token: string): Promise<SessionClaims> {
    const opts = { audience: SESSION_AUDIENCE, issuer: SESSION_ISSUER, now: this.options.now };
    try {
      return fromJwtClaims(verifyJwt(token, this.resolve, opts));
    } catch (error) {
      if (!(error instanceof TokenInvalid && error.reason === 'unknown_key')) throw error;
      // Until a key set has been loaded once (auth may start after us) every miss may fetch;
      // afterwards unknown key ids fetch at most once per minRefetchMs.
      if (this.loaded && Date.now() - this.lastFetch < (this.options.minRefetchMs ?? 5000)) throw error;
      await this.refresh().catch(() => undefined);
      return fromJwtClaims(verifyJwt(token, this.resolve, opts));
    }
  }

  private refresh(): Promise<void> {
    this.inflight ??= this.fetchKeys().finally(() => (this.inflight = undefined));
    return this.inflight;
  }

  private async fetchKeys(): Promise<void> {
    this.lastFetch = Date.now();
    const res = await fetch(this.options.jwksUrl, { signal: AbortSignal.timeout(this.options.fetchTimeoutMs ?? 3000) });
    if (!res.ok) throw new Error(`JWKS fetch answered ${res.status}`);
    this.resolve = keyResolverFromJwks((await res.json()) as Jwks);
    this.loaded = true;
  }
}
