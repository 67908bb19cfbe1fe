// A small round-robin HTTP load balancer for end-to-end tests, behaving like a Kubernetes Service
// behind an ingress: it health-checks every backend's /readyz every ~200 ms, routes only to
// backends whose last check answered 200, and streams responses through without buffering (SSE).
// A backend that refuses the connection before anything was sent is marked down and the request
// goes to the next one (what nginx's proxy_next_upstream does). Test hooks: `routes` (which
// backend got each request, with the x-test-tag header) and `observations` (every health answer).
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Backend {
  name: string;
  /** http://host:port */
  url: string;
}

export type Health = 'ready' | 'not-ready' | 'unreachable';

export interface HealthObservation {
  backend: string;
  health: Health;
  /** HTTP status of /readyz, 0 when unreachable. */
  status: number;
  at: number;
}

export interface RouteRecord {
  tag: string | undefined;
  backend: string;
  method: string;
  path: string;
  /** Status the backend answered, or 0 while waiting / when it failed. */
  status: number;
  /** Set when the backend connection failed or broke mid-response. */
  error?: string;
}

const MAX_BODY_BYTES = 1024 * 1024;

export class RoundRobinBalancer {
  readonly routes: RouteRecord[] = [];
  readonly observations: HealthObservation[] = [];
  private readonly health = new Map<string, Health>();
  private readonly agent = new http.Agent({ keepAlive: false });
  private next = 0;
  private server: http.Server | undefined;
  private timer: NodeJS.Timeout | undefined;
  private checking: Promise<void> | undefined;

  constructor(
    private readonly backends: Backend[],
    private readonly options: { healthIntervalMs?: number; healthTimeoutMs?: number } = {},
  ) {}

  /** Checks every backend once, then listens on 127.0.0.1 (a free port); returns the base URL. */
  async start(): Promise<string> {
    await this.checkAll();
    this.timer = setInterval(() => {
      this.checking ??= this.checkAll().finally(() => (this.checking = undefined));
    }, this.options.healthIntervalMs ?? 200);
    this.server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this.url;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  healthOf(name: string): Health | undefined {
    return this.health.get(name);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.checking;
    const server = this.server;
    this.server = undefined;
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    this.agent.destroy();
  }

  private async checkAll(): Promise<void> {
    await Promise.all(this.backends.map((b) => this.check(b)));
  }

  private async check(backend: Backend): Promise<void> {
    let status = 0;
    try {
      const res = await fetch(`${backend.url}/readyz`, { signal: AbortSignal.timeout(this.options.healthTimeoutMs ?? 1000) });
      status = res.status;
      await res.arrayBuffer();
    } catch {
      status = 0;
    }
    const health: Health = status === 200 ? 'ready' : status === 0 ? 'unreachable' : 'not-ready';
    this.observations.push({ backend: backend.name, health, status, at: Date.now() });
    this.health.set(backend.name, health);
  }

  private pick(exclude: Set<string>): Backend | undefined {
    for (let i = 0; i < this.backends.length; i += 1) {
      const backend = this.backends[(this.next + i) % this.backends.length]!;
      if (exclude.has(backend.name) || this.health.get(backend.name) !== 'ready') continue;
      this.next = (this.next + i + 1) % this.backends.length;
      return backend;
    }
    return undefined;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    // Request bodies here are small JSON: buffered, so a refused connection can be retried.
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY_BYTES) {
        res.writeHead(413).end();
        return;
      }
      chunks.push(chunk as Buffer);
    }
    const body = Buffer.concat(chunks);
    const tagHeader = req.headers['x-test-tag'];
    const tag = Array.isArray(tagHeader) ? tagHeader[0] : tagHeader;
    const tried = new Set<string>();
    for (;;) {
      const backend = this.pick(tried);
      if (!backend) {
        res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":"no_ready_backend"}');
        return;
      }
      tried.add(backend.name);
      const record: RouteRecord = { tag, backend: backend.name, method: req.method ?? 'GET', path: req.url ?? '/', status: 0 };
      this.routes.push(record);
      const outcome = await this.forward(backend, req, res, body, record);
      if (outcome !== 'retry') return;
      this.health.set(backend.name, 'unreachable');
    }
  }

  /** 'retry' only when nothing reached the backend (connection refused) and nothing was sent back. */
  private forward(
    backend: Backend,
    req: http.IncomingMessage,
    res: http.ServerResponse,
    body: Buffer,
    record: RouteRecord,
  ): Promise<'done' | 'retry'> {
    return new Promise((resolve) => {
      const target = new URL(req.url ?? '/', backend.url);
      const headers = { ...req.headers, host: target.host, 'content-length': String(body.length), connection: 'close' };
      const upstream = http.request(target, { method: req.method, headers, agent: this.agent }, (upRes) => {
        record.status = upRes.statusCode ?? 0;
        res.writeHead(upRes.statusCode ?? 502, { ...upRes.headers, 'x-lb-backend': backend.name });
        res.flushHeaders();
        upRes.on('data', (chunk: Buffer) => res.write(chunk));
        upRes.on('end', () => {
          res.end();
          resolve('done');
        });
        upRes.on('error', (error) => {
          record.error = `response broke: ${error.message}`;
          res.destroy(error);
          resolve('done');
        });
        upRes.on('aborted', () => {
          record.error = 'response aborted by the backend';
          res.destroy();
          resolve('done');
        });
      });
      upstream.on('error', (error: NodeJS.ErrnoException) => {
        record.error = `${error.code ?? ''} ${error.message}`.trim();
        if (!res.headersSent && error.code === 'ECONNREFUSED') {
          resolve('retry');
          return;
        }
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' }).end('{"error":"bad_gateway"}');
        else res.destroy(error);
        resolve('done');
      });
      // The client went away: stop the backend request too.
      res.on('close', () => {
        if (!res.writableFinished) upstream.destroy();
      });
      upstream.end(body);
    });
  }
}
