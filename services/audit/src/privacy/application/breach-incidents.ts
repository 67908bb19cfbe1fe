// Personal-data breaches: an owner or admin records one (the description goes to audit's own
// collection, the facts to the incident's stream at its expected version), auth mails the
// tenant's owners and admins and confirms with BreachNotificationSent; when the log ingests that
// confirmation the incident counts as notified. Overdue = not notified past detection + 72 h.
import { ConflictError, NotFoundError, ValidationError, uuidv7 } from '@enclave/platform';
import { ConcurrencyError, type Actor, type TenantId } from '@enclave/eventing';
import type { EntryDraft } from '../../log/domain/audit-entry';
import { decideBreach, InvalidBreach, type BreachCommand } from '../domain/breach';
import { RequestRefused, type BreachSeverity } from '../domain/privacy-events';
import { readPayloadField } from './erasure-coordinator';
import type { BreachDescriptions, BreachListFilter, BreachLogReader, BreachReadModel, BreachStreams, BreachView } from './ports';

export const BREACH_NOTIFIED_TYPE = 'auth.BreachNotificationSent';

export interface BreachIncidentsDeps {
  streams: BreachStreams;
  readModel: BreachReadModel;
  descriptions: BreachDescriptions;
  log: BreachLogReader;
  now: () => number;
  /** The creation time a tenant id carries (UUIDv7), when it carries one. */
  idTimestamp: (tenantId: string) => number | undefined;
  onAppended?: () => void;
}

export interface NewBreach {
  description: string;
  detectedAtMs: number;
  severity: BreachSeverity;
  affectedSubjectCount: number;
}

export class BreachIncidents {
  constructor(private readonly deps: BreachIncidentsDeps) {}

  async record(tenant: TenantId, actor: Actor, input: NewBreach): Promise<BreachView> {
    const incidentId = uuidv7();
    const tenantSinceMs = (await this.deps.log.instanceCreatedAt(tenant)) ?? this.deps.idTimestamp(tenant);
    const { description, ...facts } = input;
    const command: BreachCommand = { type: 'Record', incidentId, ...facts, nowMs: this.deps.now(), ...(tenantSinceMs !== undefined && { tenantSinceMs }) };
    const events = decided(command, undefined);
    // The description first: an incident never exists without it (a failed append leaves an orphan row, never a gap).
    await this.deps.descriptions.put(tenant, incidentId, description);
    await this.deps.streams.appendToIncident(tenant, incidentId, 0, actor, events);
    this.deps.onAppended?.();
    return (await this.project(tenant, incidentId))!;
  }

  async resolve(tenant: TenantId, actor: Actor, incidentId: string): Promise<BreachView> {
    const { state, version } = await this.deps.streams.loadIncident(tenant, incidentId);
    if (!state) throw new NotFoundError('no such incident');
    try {
      await this.deps.streams.appendToIncident(tenant, incidentId, version, actor, decided({ type: 'Resolve' }, state));
    } catch (error) {
      if (error instanceof ConcurrencyError) throw new ConflictError('the incident changed meanwhile; look again');
      throw error;
    }
    this.deps.onAppended?.();
    return (await this.project(tenant, incidentId))!;
  }

  get(tenant: TenantId, incidentId: string): Promise<BreachView | undefined> {
    return this.deps.readModel.get(tenant, incidentId);
  }

  description(tenant: TenantId, incidentId: string): Promise<string | undefined> {
    return this.deps.descriptions.get(tenant, incidentId);
  }

  list(tenant: TenantId, filter: Omit<BreachListFilter, 'nowMs'>): Promise<BreachView[]> {
    return this.deps.readModel.list(tenant, { ...filter, nowMs: this.deps.now() });
  }

  /** Re-reads the stream and the log's notification, and writes the read model (idempotent). */
  async project(tenant: TenantId, incidentId: string): Promise<BreachView | undefined> {
    const { state, version } = await this.deps.streams.loadIncident(tenant, incidentId);
    if (!state) return undefined;
    await this.deps.readModel.project({ ...state, tenantId: tenant, version });
    await this.refreshNotification(tenant, incidentId);
    return this.deps.readModel.get(tenant, incidentId);
  }

  /** Marks the incident notified when auth's confirmation is in the log (once: the first one counts). */
  async refreshNotification(tenant: TenantId, incidentId: string): Promise<void> {
    const notification = await this.deps.log.breachNotification(tenant, incidentId);
    if (notification) await this.deps.readModel.markNotified(tenant, incidentId, notification);
  }

  /** The fast path: a batch the log just ingested may hold confirmations. */
  async onLogged(drafts: readonly EntryDraft[]): Promise<void> {
    for (const draft of drafts) {
      if (draft.type !== BREACH_NOTIFIED_TYPE || draft.service !== 'auth') continue;
      const incidentId = readPayloadField(draft.payload, 'breachNotificationSent', 'incidentId');
      if (incidentId) await this.refreshNotification(draft.tenantId as TenantId, incidentId);
    }
  }

  /** The safety net (jobs runner): every incident not yet notified looks at the log again. */
  async runOnce(): Promise<void> {
    for (const { tenantId, incidentId } of await this.deps.readModel.unnotified()) await this.refreshNotification(tenantId, incidentId);
  }

  /** Rebuilds the read model from every incident stream (idempotent). */
  async rebuild(): Promise<number> {
    const streams = await this.deps.streams.incidentStreams();
    for (const { tenantId, incidentId } of streams) await this.project(tenantId, incidentId);
    return streams.length;
  }
}

function decided(command: BreachCommand, state: Parameters<typeof decideBreach>[1]) {
  try {
    return decideBreach(command, state);
  } catch (error) {
    if (error instanceof InvalidBreach) throw new ValidationError(error.message);
    if (error instanceof RequestRefused) throw new ConflictError(error.message);
    throw error;
  }
}
