import type { Connection, mongo } from 'mongoose';
import { EventStore, type Actor, type TenantId } from '@enclave/eventing';
import { uuidv7 } from '@enclave/platform';
import type { BreachStreams, PrivacyStreams } from '../application/ports';
import { foldBreach } from '../domain/breach';
import type { BreachEvent, PrivacyEvent } from '../domain/privacy-events';
import { foldRequest } from '../domain/request';
import { decodePrivacyEvent, encodePrivacyEvent, envelopeType } from './privacy-event-codec';

const REQUEST_PREFIX = 'privacy-request:';
export const requestStreamId = (requestId: string) => `${REQUEST_PREFIX}${requestId}`;
const BREACH_PREFIX = 'privacy-breach:';
export const breachStreamId = (incidentId: string) => `${BREACH_PREFIX}${incidentId}`;
const isBreachEvent = (event: PrivacyEvent): event is BreachEvent => event.type === 'BreachIncidentRecorded' || event.type === 'BreachIncidentResolved';

/**
 * Privacy events in audit's own event store (the `events` collection, relayed to
 * enclave.audit.events.v1). The store is given the privacy clock, so the events' times follow
 * the clock the rules use (shifted in test stacks).
 */
export class EventStorePrivacyStreams implements PrivacyStreams, BreachStreams {
  private readonly store: EventStore;
  private readonly events: mongo.Collection;

  constructor(connection: Connection, now: () => number) {
    this.store = new EventStore(connection, { clock: () => new Date(now()) });
    this.events = connection.collection(this.store.collectionName) as unknown as mongo.Collection;
  }

  async loadRequest(tenant: TenantId, requestId: string) {
    const stored = await this.store.readStream(requestStreamId(requestId), { tenantId: tenant });
    const recorded = stored.flatMap((e) => {
      const event = decodePrivacyEvent(e.payload);
      return event ? [{ event, atMs: e.occurredAt.getTime() }] : [];
    });
    return { state: foldRequest(recorded), version: stored.at(-1)?.version ?? 0 };
  }

  async appendToRequest(tenant: TenantId, requestId: string, expectedVersion: number, actor: Actor, events: readonly PrivacyEvent[]): Promise<number> {
    const first = events[0];
    const subjectId = first && 'subjectId' in first ? first.subjectId : '';
    const result = await this.store.append(requestStreamId(requestId), expectedVersion, events.map((event) => this.toNew(tenant, subjectId, actor, event)));
    return result.version;
  }

  async appendLoose(tenant: TenantId, subjectId: string, actor: Actor, events: readonly PrivacyEvent[]): Promise<void> {
    await this.store.append(`privacy-${uuidv7()}`, 0, events.map((event) => this.toNew(tenant, subjectId, actor, event)));
  }

  async isRestricted(tenant: TenantId, subjectId: string): Promise<boolean> {
    const latest = await this.events
      .find({ tenantId: tenant, subjectId, type: { $in: ['audit.ProcessingRestricted', 'audit.ProcessingRestrictionLifted'] } }, { projection: { type: 1 } })
      .sort({ seq: -1 })
      .limit(1)
      .next();
    return latest?.type === 'audit.ProcessingRestricted';
  }

  async requestStreams(): Promise<Array<{ tenantId: TenantId; requestId: string }>> {
    const opened = await this.events.find({ type: 'audit.DataSubjectRequestOpened' }, { projection: { tenantId: 1, streamId: 1 } }).toArray();
    return opened
      .filter((d) => String(d.streamId).startsWith(REQUEST_PREFIX))
      .map((d) => ({ tenantId: String(d.tenantId) as TenantId, requestId: String(d.streamId).slice(REQUEST_PREFIX.length) }));
  }

  async loadIncident(tenant: TenantId, incidentId: string) {
    const stored = await this.store.readStream(breachStreamId(incidentId), { tenantId: tenant });
    const recorded = stored.flatMap((e) => {
      const event = decodePrivacyEvent(e.payload);
      return event && isBreachEvent(event) ? [{ event, atMs: e.occurredAt.getTime() }] : [];
    });
    return { state: foldBreach(recorded), version: stored.at(-1)?.version ?? 0 };
  }

  async appendToIncident(tenant: TenantId, incidentId: string, expectedVersion: number, actor: Actor, events: readonly BreachEvent[]): Promise<number> {
    const result = await this.store.append(breachStreamId(incidentId), expectedVersion, events.map((event) => this.toNew(tenant, '', actor, event)));
    return result.version;
  }

  async incidentStreams(): Promise<Array<{ tenantId: TenantId; incidentId: string }>> {
    const recorded = await this.events.find({ type: 'audit.BreachIncidentRecorded' }, { projection: { tenantId: 1, streamId: 1 } }).toArray();
    return recorded
      .filter((d) => String(d.streamId).startsWith(BREACH_PREFIX))
      .map((d) => ({ tenantId: String(d.tenantId) as TenantId, incidentId: String(d.streamId).slice(BREACH_PREFIX.length) }));
  }

  private toNew(tenantId: TenantId, subjectId: string, actor: Actor, event: PrivacyEvent) {
    return { type: envelopeType(event), tenantId, subjectId, actor, payload: encodePrivacyEvent(event) };
  }
}
