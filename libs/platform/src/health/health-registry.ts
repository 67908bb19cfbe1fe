/** A readiness check: resolves (true or nothing) when healthy, rejects or resolves false when not. */
export type HealthCheck = () => Promise<boolean | void> | boolean | void;

export type CheckStatus = 'ok' | 'failing' | 'timeout';

export interface ReadinessReport {
  status: 'ok' | 'unavailable' | 'draining';
  /** Per check status only: no error text, which could carry connection strings. */
  checks: Record<string, CheckStatus>;
}

export interface HealthRegistryOptions {
  /** Per-check time limit (default 2000 ms). */
  checkTimeoutMs?: number;
}

/** Readiness checks registered by the parts of a service, plus the draining flag for shutdown. */
export class HealthRegistry {
  private readonly checks = new Map<string, HealthCheck>();
  private drainingSince: number | undefined;
  private readonly timeoutMs: number;

  constructor(options: HealthRegistryOptions = {}) {
    this.timeoutMs = options.checkTimeoutMs ?? 2000;
  }

  register(name: string, check: HealthCheck): void {
    if (this.checks.has(name)) throw new Error(`health check ${name} is already registered`);
    this.checks.set(name, check);
  }

  unregister(name: string): void {
    this.checks.delete(name);
  }

  /** From now on readiness fails, so load balancers stop sending new requests. */
  setDraining(): void {
    this.drainingSince ??= Date.now();
  }

  get draining(): boolean {
    return this.drainingSince !== undefined;
  }

  async readiness(): Promise<ReadinessReport> {
    const entries = await Promise.all(
      [...this.checks.entries()].map(async ([name, check]) => [name, await this.run(check)] as const),
    );
    const checks = Object.fromEntries(entries) as Record<string, CheckStatus>;
    if (this.draining) return { status: 'draining', checks };
    const ok = entries.every(([, status]) => status === 'ok');
    return { status: ok ? 'ok' : 'unavailable', checks };
  }

  private async run(check: HealthCheck): Promise<CheckStatus> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<CheckStatus>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.timeoutMs);
    });
    const result = (async (): Promise<CheckStatus> => {
      try {
        return (await check()) === false ? 'failing' : 'ok';
      } catch {
        return 'failing';
      }
    })();
    try {
      return await Promise.race([result, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
