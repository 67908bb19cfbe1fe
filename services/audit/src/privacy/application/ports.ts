import type { Actor, TenantId } from '@enclave/eventing';
import type { Role } from '@enclave/session';
import type { AuditEntry } from '../../log/domain/audit-entry';
import type { ConsentEntry } from '../domain/consents';
import type { BreachState } from '../domain/breach';
import type { BreachEvent, PrivacyEvent } from '../domain/privacy-events';
import type { RequestState } from '../domain/request';

/** Audit's own event store, for privacy events (the outbox relayed to enclave.audit.events.v1). */
export interface PrivacyStreams {
  /** The request stream `privacy-request:<requestId>` folded, with its version. */
  loadRequest(tenant: TenantId, requestId: string): Promise<{ state: RequestState | undefined; version: number }>;
  /** Appends to the request stream at expectedVersion; a ConcurrencyError when another writer got there first. */
  appendToRequest(tenant: TenantId, requestId: string, expectedVersion: number, actor: Actor, events: readonly PrivacyEvent[]): Promise<number>;
  /** Appends events that belong to no request (consents, lifting a restriction) as a new short stream. */
  appendLoose(tenant: TenantId, subjectId: string, actor: Actor, events: readonly PrivacyEvent[]): Promise<void>;
  /** Whether the latest restriction event of the person is ProcessingRestricted. */
  isRestricted(tenant: TenantId, subjectId: string): Promise<boolean>;
  /** Every request stream (tenant, id), for rebuilding the read model. */
  requestStreams(): Promise<Array<{ tenantId: TenantId; requestId: string }>>;
}

export interface RequestView extends RequestState {
  tenantId: string;
  /** Version of the request stream this view reflects. */
  version: number;
}

export type RequestStatusFilter = 'open' | 'overdue' | 'completed';

export interface RequestListFilter {
  status?: RequestStatusFilter;
  subjectId?: string;
  /** Request id to page after (ids are time ordered). */
  after?: string;
  limit: number;
  nowMs: number;
}

/** The `privacy_requests` read model: one document per request, written with the stream version it reflects. */
export interface RequestReadModel {
  /** Writes the view unless the stored one reflects this version or a later one. */
  project(view: RequestView): Promise<void>;
  get(tenant: TenantId, requestId: string): Promise<RequestView | undefined>;
  list(tenant: TenantId, filter: RequestListFilter): Promise<RequestView[]>;
  openOf(tenant: TenantId, subjectId: string): Promise<RequestView[]>;
  /** Requests the coordinator may have to move on (all tenants). */
  pending(nowMs: number): Promise<Array<{ tenantId: TenantId; requestId: string }>>;
  erased(tenant: TenantId, after: string | undefined, limit: number): Promise<RequestView[]>;
}

/** Reads of the audit log (audit_entries) the privacy module derives its views from. */
export interface PrivacyLogReader {
  consentEntries(tenant: TenantId, subjectId: string): Promise<ConsentEntry[]>;
  /** Services whose `<service>.SubjectDataPurged` for this request is logged. */
  purgeConfirmations(tenant: TenantId, subjectId: string, requestId: string): Promise<string[]>;
  /** An `auth.AccountRectified` of the subject logged after the request's DataSubjectRequestOpened entry. */
  rectifiedAfterOpening(tenant: TenantId, subjectId: string, requestId: string): Promise<boolean>;
  /** Entries whose subject is the person, in log order (at most `limit`). */
  entriesAbout(tenant: TenantId, subjectId: string, limit: number): Promise<AuditEntry[]>;
  /** chat-gateway MemberChatRead and audit SubjectDataExported entries whose subject is the person, after seq `after`. */
  readsAbout(tenant: TenantId, subjectId: string, after: number, limit: number): Promise<AuditEntry[]>;
}

/** Breach incident streams `privacy-breach:<incidentId>` in audit's event store. */
export interface BreachStreams {
  loadIncident(tenant: TenantId, incidentId: string): Promise<{ state: BreachState | undefined; version: number }>;
  /** Appends at expectedVersion; a ConcurrencyError when another writer got there first. */
  appendToIncident(tenant: TenantId, incidentId: string, expectedVersion: number, actor: Actor, events: readonly BreachEvent[]): Promise<number>;
  /** Every incident stream (tenant, id), for rebuilding the read model. */
  incidentStreams(): Promise<Array<{ tenantId: TenantId; incidentId: string }>>;
}

export interface BreachView extends BreachState {
  tenantId: string;
  version: number;
  /** When auth's BreachNotificationSent for the incident was logged (its occurredAt). */
  notifiedAtMs?: number;
  recipients?: number;
}

export type BreachStatusFilter = 'open' | 'overdue' | 'resolved';

export interface BreachListFilter {
  status?: BreachStatusFilter;
  after?: string;
  limit: number;
  nowMs: number;
}

/** The `privacy_breaches` read model: one document per incident. */
export interface BreachReadModel {
  /** Writes the stream's fields unless the stored view reflects this version or a later one; leaves the notification as it is. */
  project(view: Omit<BreachView, 'notifiedAtMs' | 'recipients'>): Promise<void>;
  /** Records the (first) notification once. */
  markNotified(tenant: TenantId, incidentId: string, notification: BreachNotification): Promise<void>;
  get(tenant: TenantId, incidentId: string): Promise<BreachView | undefined>;
  list(tenant: TenantId, filter: BreachListFilter): Promise<BreachView[]>;
  /** Incidents whose notification is not recorded yet (all tenants). */
  unnotified(): Promise<Array<{ tenantId: TenantId; incidentId: string }>>;
}

export interface BreachNotification {
  notifiedAtMs: number;
  recipients: number;
}

/** The incident's free-text description: kept out of events, in audit's own tenant-scoped collection. */
export interface BreachDescriptions {
  put(tenant: TenantId, incidentId: string, description: string): Promise<void>;
  get(tenant: TenantId, incidentId: string): Promise<string | undefined>;
}

/** What the breach rules read from the audit log. */
export interface BreachLogReader {
  /** The first `auth.BreachNotificationSent` of the incident in the tenant's log. */
  breachNotification(tenant: TenantId, incidentId: string): Promise<BreachNotification | undefined>;
  /** occurredAt of the tenant's logged `tenant.InstanceCreated`, when the log holds it. */
  instanceCreatedAt(tenant: TenantId): Promise<number | undefined>;
}

/** Current roles of people in a tenant (tenant's MemberDirectoryService); someone absent is not an active member. */
export interface MemberRoles {
  rolesOf(tenant: TenantId, subjectIds: readonly string[]): Promise<ReadonlyMap<string, Role>>;
}
