// A personal-data breach as its own stream (`privacy-breach:<incidentId>`): recorded once with the
// 72-hour notification deadline, resolved once. Whether the tenant's admins were notified is a
// fact of the log (auth's BreachNotificationSent), joined in by the read side.
import { RequestRefused, type BreachEvent, type BreachSeverity, type Recorded } from './privacy-events';

export const HOUR_MS = 3_600_000;
/** The tenant's owners and admins must be notified within 72 hours of detection. */
export const BREACH_NOTIFY_WITHIN_MS = 72 * HOUR_MS;

export interface BreachState {
  incidentId: string;
  detectedAtMs: number;
  notifyByMs: number;
  severity: BreachSeverity;
  affectedSubjectCount: number;
  recordedAtMs: number;
  status: 'open' | 'resolved';
  resolvedAtMs?: number;
}

export type BreachCommand =
  | {
      type: 'Record';
      incidentId: string;
      detectedAtMs: number;
      severity: BreachSeverity;
      affectedSubjectCount: number;
      nowMs: number;
      /** When the tenant came to exist, when known: nothing of it can be breached before. */
      tenantSinceMs?: number;
    }
  | { type: 'Resolve' };

/** Input the rules refuse (the application answers 400), as opposed to a state conflict (409). */
export class InvalidBreach extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidBreach';
  }
}

export function decideBreach(command: BreachCommand, state: BreachState | undefined): BreachEvent[] {
  switch (command.type) {
    case 'Record': {
      if (state) throw new RequestRefused('the incident exists already');
      const { incidentId, detectedAtMs, severity, affectedSubjectCount, nowMs, tenantSinceMs } = command;
      if (detectedAtMs > nowMs) throw new InvalidBreach('detectedAt is in the future');
      if (tenantSinceMs !== undefined && detectedAtMs < tenantSinceMs) throw new InvalidBreach('detectedAt is before the tenant existed');
      if (!Number.isSafeInteger(affectedSubjectCount) || affectedSubjectCount < 0) throw new InvalidBreach('affectedSubjectCount must be a non-negative integer');
      return [{ type: 'BreachIncidentRecorded', incidentId, detectedAtMs, notifyByMs: detectedAtMs + BREACH_NOTIFY_WITHIN_MS, severity, affectedSubjectCount }];
    }
    case 'Resolve':
      if (!state) throw new RequestRefused('no such incident');
      if (state.status === 'resolved') throw new RequestRefused('the incident is resolved already');
      return [{ type: 'BreachIncidentResolved', incidentId: state.incidentId }];
    default: {
      const unhandled: never = command;
      throw new Error(`unhandled breach command ${JSON.stringify(unhandled)}`);
    }
  }
}

export function evolveBreach(state: BreachState | undefined, { event, atMs }: Recorded<BreachEvent>): BreachState | undefined {
  switch (event.type) {
    case 'BreachIncidentRecorded': {
      const { incidentId, detectedAtMs, notifyByMs, severity, affectedSubjectCount } = event;
      return { incidentId, detectedAtMs, notifyByMs, severity, affectedSubjectCount, recordedAtMs: atMs, status: 'open' };
    }
    case 'BreachIncidentResolved':
      return state && { ...state, status: 'resolved', resolvedAtMs: atMs };
    default: {
      const unhandled: never = event;
      throw new Error(`unhandled breach event ${JSON.stringify(unhandled)}`);
    }
  }
}

export const foldBreach = (events: readonly Recorded<BreachEvent>[]): BreachState | undefined => events.reduce(evolveBreach, undefined as BreachState | undefined);

/** Overdue: the admins were not notified and the deadline has passed (resolving does not excuse it). */
export const isBreachOverdue = (view: { notifyByMs: number; notifiedAtMs?: number | undefined }, nowMs: number): boolean =>
  view.notifiedAtMs === undefined && view.notifyByMs < nowMs;

