// Moves requests on without anyone asking: an erasure whose grace ended gets its purge requested
// (once), a purge confirmed by all five data services becomes the deletion record, a
// rectification logged after the request completes it. Runs on an interval (the safety net that
// also covers time passing) and right after the log ingests a confirmation (the fast path).
// Every append goes through the request stream's expected version, so two runs racing each
// other cannot append a step twice: the loser gets a ConcurrencyError and lets it be.
import { ConcurrencyError, type Actor, type TenantId } from '@enclave/eventing';
import { eventsV1 } from '@enclave/proto';
import type { Logger } from '@enclave/platform';
import type { EntryDraft } from '../../log/domain/audit-entry';
import { needsFacts, nextStep } from '../domain/coordinator';
import { DATA_SERVICES } from '../domain/privacy-events';
import type { PrivacyLogReader, PrivacyStreams, RequestReadModel } from './ports';
import type { PrivacyRequests } from './privacy-requests';

export const COORDINATOR_ACTOR: Actor = { kind: eventsV1.ActorKind.ACTOR_KIND_SERVICE, id: 'audit', role: '' };

export interface ErasureCoordinatorDeps {
  requests: PrivacyRequests;
  streams: PrivacyStreams;
  readModel: RequestReadModel;
  log: PrivacyLogReader;
  now: () => number;
  logger: Logger;
  /** 0 leaves runs to runOnce() (tests). */
  intervalMs: number;
  /** Other privacy rules fed by the same ingestion hook and jobs runs (breach notifications). */
  watchers?: readonly LogWatcher[];
}

/** Something that moves on when the log ingests entries, with a periodic safety-net run. */
export interface LogWatcher {
  onLogged(drafts: readonly EntryDraft[]): Promise<void>;
  runOnce(): Promise<void>;
}

const PURGED_TYPES = new Set(DATA_SERVICES.map((s) => `${s}.SubjectDataPurged`));
const RECTIFIED_TYPE = 'auth.AccountRectified';

export class ErasureCoordinator {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private readonly inflight = new Set<Promise<void>>();

  constructor(private readonly deps: ErasureCoordinatorDeps) {}

  start(): void {
    if (this.timer || this.deps.intervalMs <= 0) return;
    this.timer = setInterval(() => void this.tick(), this.deps.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
    await Promise.allSettled([...this.inflight]);
  }

  /** One pass over every request that may be due; errors of one request do not stop the others. */
  async runOnce(): Promise<void> {
    const nowMs = this.deps.now();
    for (const { tenantId, requestId } of await this.deps.readModel.pending(nowMs)) {
      await this.reconcile(tenantId, requestId).catch((err: unknown) => this.deps.logger.warn({ err, requestId }, 'privacy request step failed; next run retries'));
    }
    for (const watcher of this.deps.watchers ?? []) {
      await watcher.runOnce().catch((err: unknown) => this.deps.logger.warn({ err }, 'privacy watcher run failed; next run retries'));
    }
  }

  /** Decides and appends the next step of one request, if there is one. */
  async reconcile(tenant: TenantId, requestId: string): Promise<void> {
    const { state } = await this.deps.streams.loadRequest(tenant, requestId);
    if (!state) return;
    const needs = needsFacts(state);
    const facts = {
      purgeConfirmedBy: needs.confirmations ? await this.deps.log.purgeConfirmations(tenant, state.subjectId, requestId) : [],
      rectifiedAfterOpening: needs.rectification ? await this.deps.log.rectifiedAfterOpening(tenant, state.subjectId, requestId) : false,
    };
    const command = nextStep(state, this.deps.now(), facts);
    if (!command) {
      await this.deps.requests.project(tenant, requestId);
      return;
    }
    try {
      await this.deps.requests.apply(tenant, requestId, COORDINATOR_ACTOR, command);
    } catch (error) {
      if (!(error instanceof ConcurrencyError)) throw error;
      await this.deps.requests.project(tenant, requestId);
      return;
    }
    // A purge just requested may already be confirmed (a replay): look again at once.
    if (command.type === 'RequestPurge') await this.reconcile(tenant, requestId);
  }

  /** Called with every batch the log ingested: confirmations and rectifications move requests on now. */
  onLogged(drafts: readonly EntryDraft[]): void {
    for (const watcher of this.deps.watchers ?? []) this.track(watcher.onLogged(drafts));
    for (const draft of drafts) {
      if (PURGED_TYPES.has(draft.type)) {
        const requestId = readPayloadField(draft.payload, 'subjectDataPurged', 'requestId');
        if (requestId) this.track(this.reconcile(draft.tenantId as TenantId, requestId));
      } else if (draft.type === RECTIFIED_TYPE && draft.subjectId) {
        this.track(this.reconcileRectifications(draft.tenantId as TenantId, draft.subjectId));
      }
    }
  }

  private async reconcileRectifications(tenant: TenantId, subjectId: string): Promise<void> {
    const open = await this.deps.readModel.openOf(tenant, subjectId);
    for (const r of open.filter((v) => v.kind === 'rectification')) await this.reconcile(tenant, r.requestId);
  }

  private track(work: Promise<void>): void {
    const tracked = work.catch((err: unknown) => this.deps.logger.warn({ err }, 'privacy step after ingestion failed; the next run retries'));
    this.inflight.add(tracked);
    void tracked.finally(() => this.inflight.delete(tracked));
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    this.running = this.runOnce()
      .catch((err: unknown) => this.deps.logger.warn({ err }, 'privacy jobs run failed'))
      .finally(() => (this.running = undefined));
    await this.running;
  }
}

/** `payload[oneofCase][field]` of a logged payload (canonical JSON), when it is a string. */
export function readPayloadField(payload: string, oneofCase: string, field: string): string | undefined {
  try {
    const parsed = JSON.parse(payload) as Record<string, Record<string, unknown> | undefined>;
    const value = parsed[oneofCase]?.[field];
    return typeof value === 'string' && value !== '' ? value : undefined;
  } catch {
    return undefined;
  }
}
