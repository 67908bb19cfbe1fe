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

/** Read models: kept up to date from recorded events, idempotently (by stream version). */
export interface TenantProjections {
  apply(events: readonly RecordedTenantEvent[]): Promise<void>;
  settings(tenantId: string): Promise<SettingsView | null>;
  members(tenantId: string): Promise<MemberView[]>;
}
