import type { Logger } from '@enclave/platform';
import type { PrivacyStateRepository } from '../infrastructure/privacy-state.repository';
import type { PrivacyRegistry } from './privacy-registry';

/**
 * Fills this replica's registry from the persisted `privacy_states` rows: once at start (a
 * replica that starts later knows who is frozen or restricted before it serves a chat) and
 * then every refreshMs, which also closes the gap between that load and the moment the
 * replica's own audit-topic consumer joined. Rows never override newer in-memory facts.
 */
export class PrivacyStateLoader {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly rows: PrivacyStateRepository,
    private readonly registry: PrivacyRegistry,
    private readonly logger: Logger,
  ) {}

  async load(): Promise<number> {
    const all = await this.rows.loadAll();
    for (const row of all) this.registry.merge(row.tenantId, row.subjectId, row.state);
    return all.length;
  }

  start(refreshMs: number): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.load().catch((error: unknown) => this.logger.warn({ err: error }, 'privacy state refresh failed'));
    }, refreshMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
