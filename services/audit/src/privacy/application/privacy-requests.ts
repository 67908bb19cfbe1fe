// Data-subject requests: opening (and what each kind does at once), cancelling an erasure within
// its grace period, lifting a restriction, and the read side. Every change is an append to the
// request's own stream at its expected version, then a projection into the read model.
import { ConflictError, NotFoundError, uuidv7 } from '@enclave/platform';
import type { Actor, TenantId } from '@enclave/eventing';
import { decide, type RequestCommand } from '../domain/request';
import { RequestRefused, type RequestKind } from '../domain/privacy-events';
import type { PrivacyStreams, RequestListFilter, RequestReadModel, RequestView } from './ports';

export interface PrivacyRequestsDeps {
  streams: PrivacyStreams;
  readModel: RequestReadModel;
  now: () => number;
  graceDays: number;
  /** Called after every append (the relay publishes now instead of at its next poll). */
  onAppended?: () => void;
}

export class PrivacyRequests {
  constructor(private readonly deps: PrivacyRequestsDeps) {}

  async open(tenant: TenantId, actor: Actor, subjectId: string, kind: RequestKind): Promise<RequestView> {
    const open = await this.deps.readModel.openOf(tenant, subjectId);
    if (open.some((r) => r.kind === kind)) throw new ConflictError(`an open ${kind} request exists for this person`);
    const requestId = uuidv7();
    const view = await this.apply(tenant, requestId, actor, { type: 'Open', requestId, subjectId, kind, nowMs: this.deps.now(), graceDays: this.deps.graceDays });
    return view!;
  }

  async cancelErasure(tenant: TenantId, actor: Actor, requestId: string): Promise<RequestView> {
    return (await this.apply(tenant, requestId, actor, { type: 'CancelErasure', nowMs: this.deps.now() }))!;
  }

  async liftRestriction(tenant: TenantId, actor: Actor, subjectId: string): Promise<void> {
    if (!(await this.deps.streams.isRestricted(tenant, subjectId))) throw new NotFoundError('processing of this person is not restricted');
    await this.deps.streams.appendLoose(tenant, subjectId, actor, [{ type: 'ProcessingRestrictionLifted', subjectId }]);
    this.deps.onAppended?.();
  }

  get(tenant: TenantId, requestId: string): Promise<RequestView | undefined> {
    return this.deps.readModel.get(tenant, requestId);
  }

  list(tenant: TenantId, filter: Omit<RequestListFilter, 'nowMs'>): Promise<RequestView[]> {
    return this.deps.readModel.list(tenant, { ...filter, nowMs: this.deps.now() });
  }

  /**
   * Decides the command on the stream's current state and appends the events at that version;
   * nothing to append leaves the stream as it is. Returns the view after the append.
   */
  async apply(tenant: TenantId, requestId: string, actor: Actor, command: RequestCommand): Promise<RequestView | undefined> {
    const { state, version } = await this.deps.streams.loadRequest(tenant, requestId);
    if (!state && command.type !== 'Open') throw new NotFoundError('no such request');
    let events;
    try {
      events = decide(command, state);
    } catch (error) {
      if (error instanceof RequestRefused) throw new ConflictError(error.message);
      throw error;
    }
    if (events.length === 0) return state && { ...state, tenantId: tenant, version };
    await this.deps.streams.appendToRequest(tenant, requestId, version, actor, events);
    this.deps.onAppended?.();
    return this.project(tenant, requestId);
  }

  /** Re-reads the stream and writes the read model (idempotent: the version decides). */
  async project(tenant: TenantId, requestId: string): Promise<RequestView | undefined> {
    const { state, version } = await this.deps.streams.loadRequest(tenant, requestId);
    if (!state) return undefined;
    const view: RequestView = { ...state, tenantId: tenant, version };
    await this.deps.readModel.project(view);
    return view;
  }

  /** Rebuilds the read model from every request stream (idempotent). */
  async rebuild(): Promise<number> {
    const streams = await this.deps.streams.requestStreams();
    for (const { tenantId, requestId } of streams) await this.project(tenantId, requestId);
    return streams.length;
  }
}
