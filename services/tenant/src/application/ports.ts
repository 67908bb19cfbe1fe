import type { TenantEvent, TenantRole, TenantSettings, TenantState } from '../domain';

// What the use cases need from the outside world; infrastructure implements each.

/** Who caused a change: a person of the tenant, or a service. */
export type Actor = { kind: 'person'; subjectId: string; role: TenantRole } | { kind: 'service'; name: string };

/** A tenant event as appended to the store, with its stream position. */
export interface RecordedTenantEvent {
  tenantId: string;
  version: number;
  occurredAt: Date;
  event: TenantEvent;
}

export interface TenantEventStore {
  /** Folds the tenant's stream; version 0 and the initial state when it does not exist. */
  load(tenantId: string): Promise<{ state: TenantState; version: number }>;
  /** Appends in ONE write; throws the store's ConcurrencyError when the stream moved on. */
  append(tenantId: string, expectedVersion: number, events: TenantEvent[], actor: Actor): Promise<RecordedTenantEvent[]>;
}

/** Tells the outbox relay there is something to publish now (it also polls). */
export interface EventPublisher {
  nudge(): void;
}

/** The auth service: finds or creates a person's account in a tenant. Idempotent per email. */
export interface AccountRegistry {
  registerAccount(input: { tenantId: string; email: string; displayName: string }): Promise<{ subjectId: string }>;
}

export interface SettingsView {
  tenantId: string;
  version: number;
  settings: TenantSettings;
}

export interface MemberView {
  subjectId: string;
  role: TenantRole;
  addedAt: Date;
}

export interface MembershipView extends MemberView {
  /** False once removed (the row stays as a tombstone until the person is erased). */
  active: boolean;
}

/** Read models: kept up to date from recorded events, idempotently (by stream version). */
export interface TenantProjections {
  apply(events: readonly RecordedTenantEvent[]): Promise<void>;
  settings(tenantId: string): Promise<SettingsView | null>;
  members(tenantId: string): Promise<MemberView[]>;
  /** The person's row in the tenant, active or not; null when none. */
  membership(tenantId: string, subjectId: string): Promise<MembershipView | null>;
  /**
   * Deletes every row about the person whose events are at or below `throughVersion` of the
   * tenant stream, and keeps replays of those events from writing them back. Returns the count.
   */
  purgeSubject(tenantId: string, subjectId: string, throughVersion: number): Promise<number>;
}

/** Appends a confirmation (SubjectDataPurged, RetentionPurged) to a stream of its own. */
export interface ConfirmationLog {
  /**
   * Appends `event` as version 1 of `streamId`; false when that stream already exists (the
   * confirmation was appended before, e.g. on an earlier delivery).
   */
  appendOnce(tenantId: string, streamId: string, event: TenantEvent, actor: Actor): Promise<boolean>;
}
