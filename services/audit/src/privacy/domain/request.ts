// A data-subject request as its own stream (`privacy-request:<requestId>`): the decider says
// which events a command adds, evolve folds them into the request's state.
import {
  DATA_SERVICES,
  DAY_MS,
  REQUEST_DUE_DAYS,
  RequestRefused,
  type PrivacyEvent,
  type Recorded,
  type RequestKind,
  type RequestOutcome,
} from './privacy-events';

export type ErasurePhase = 'grace' | 'cancelled' | 'purging' | 'erased';

export interface RequestState {
  requestId: string;
  subjectId: string;
  kind: RequestKind;
  status: 'open' | 'completed';
  openedAtMs: number;
  dueAtMs: number;
  outcome?: RequestOutcome;
  completedAtMs?: number;
  graceEndsAtMs?: number;
  erasure?: ErasurePhase;
  purgeRequestedAtMs?: number;
  /** The deletion record's confirming services, once erased. */
  confirmedBy?: string[];
  export?: { services: string[]; documentSha256: string };
}

export type RequestCommand =
  | { type: 'Open'; requestId: string; subjectId: string; kind: RequestKind; nowMs: number; graceDays: number }
  | { type: 'CancelErasure'; nowMs: number }
  | { type: 'RequestPurge'; nowMs: number }
  | { type: 'ConfirmPurge'; confirmedBy: readonly string[]; nowMs: number }
  | { type: 'CompleteRectification' }
  | { type: 'RecordExport'; services: string[]; documentSha256: string; onBehalf?: { reason: string; messagesReturned: number } };

export function decide(command: RequestCommand, state: RequestState | undefined): PrivacyEvent[] {
  if (command.type === 'Open') {
    if (state) throw new RequestRefused('the request exists already');
    return open(command);
  }
  if (!state) throw new RequestRefused('no such request');
  const { requestId, subjectId, kind } = state;
  const completed = (outcome: RequestOutcome): PrivacyEvent => ({ type: 'DataSubjectRequestCompleted', requestId, subjectId, kind, outcome });
  switch (command.type) {
    case 'CancelErasure':
      if (kind !== 'erasure') throw new RequestRefused('only an erasure request can be cancelled');
      if (state.status !== 'open' || state.erasure !== 'grace') throw new RequestRefused('the erasure is no longer cancellable');
      if (command.nowMs >= (state.graceEndsAtMs ?? 0)) throw new RequestRefused('the grace period is over');
      return [{ type: 'ErasureCancelled', requestId, subjectId }, completed('cancelled')];
    case 'RequestPurge':
      return state.erasure === 'grace' && command.nowMs >= (state.graceEndsAtMs ?? Infinity) ? [{ type: 'SubjectPurgeRequested', requestId, subjectId }] : [];
    case 'ConfirmPurge': {
      if (state.erasure !== 'purging') return [];
      const confirmed = [...new Set(command.confirmedBy)].sort();
      if (!DATA_SERVICES.every((s) => confirmed.includes(s))) return [];
      const erased: PrivacyEvent = {
        type: 'SubjectErased',
        requestId,
        subjectId,
        confirmedBy: confirmed,
        requestedAtMs: state.openedAtMs,
        completedAtMs: command.nowMs,
      };
      return [erased, completed('fulfilled')];
    }
    case 'CompleteRectification':
      return kind === 'rectification' && state.status === 'open' ? [completed('fulfilled')] : [];
    case 'RecordExport':
      if (kind !== 'access' || state.status !== 'open') throw new RequestRefused('no open access request');
      return [
        {
          type: 'SubjectDataExported',
          requestId,
          subjectId,
          services: command.services,
          documentSha256: command.documentSha256,
          ...(command.onBehalf && { onBehalf: { ...command.onBehalf } }),
        },
        completed('fulfilled'),
      ];
    default: {
      const unhandled: never = command;
      throw new Error(`unhandled request command ${JSON.stringify(unhandled)}`);
    }
  }
}

function open(command: Extract<RequestCommand, { type: 'Open' }>): PrivacyEvent[] {
  const { requestId, subjectId, kind, nowMs } = command;
  const opened: PrivacyEvent = { type: 'DataSubjectRequestOpened', requestId, subjectId, kind, dueAtMs: nowMs + REQUEST_DUE_DAYS * DAY_MS };
  switch (kind) {
    case 'access':
    case 'rectification':
      return [opened];
    case 'restriction':
    case 'objection':
      return [
        opened,
        { type: 'ProcessingRestricted', subjectId, requestId, kind },
        { type: 'DataSubjectRequestCompleted', requestId, subjectId, kind, outcome: 'fulfilled' },
      ];
    case 'erasure':
      return [opened, { type: 'ErasureRequested', requestId, subjectId, graceEndsAtMs: nowMs + command.graceDays * DAY_MS }];
    default: {
      const unhandled: never = kind;
      throw new Error(`unhandled request kind ${String(unhandled)}`);
    }
  }
}

export function evolve(state: RequestState | undefined, { event, atMs }: Recorded): RequestState | undefined {
  switch (event.type) {
    case 'DataSubjectRequestOpened':
      return {
        requestId: event.requestId,
        subjectId: event.subjectId,
        kind: event.kind,
        status: 'open',
        openedAtMs: event.dueAtMs - REQUEST_DUE_DAYS * DAY_MS,
        dueAtMs: event.dueAtMs,
      };
    case 'DataSubjectRequestCompleted':
      return state && { ...state, status: 'completed', outcome: event.outcome, completedAtMs: atMs };
    case 'ErasureRequested':
      return state && { ...state, erasure: 'grace', graceEndsAtMs: event.graceEndsAtMs };
    case 'ErasureCancelled':
      return state && { ...state, erasure: 'cancelled' };
    case 'SubjectPurgeRequested':
      return state && { ...state, erasure: 'purging', purgeRequestedAtMs: atMs };
    case 'SubjectErased':
      return state && { ...state, erasure: 'erased', confirmedBy: event.confirmedBy };
    case 'SubjectDataExported':
      return state && { ...state, export: { services: event.services, documentSha256: event.documentSha256 } };
    case 'ProcessingRestricted':
    case 'ProcessingRestrictionLifted':
    case 'ConsentGranted':
    case 'ConsentWithdrawn':
    case 'BreachIncidentRecorded':
    case 'BreachIncidentResolved':
      return state;
    default: {
      const unhandled: never = event;
      throw new Error(`unhandled privacy event ${JSON.stringify(unhandled)}`);
    }
  }
}

export const foldRequest = (events: readonly Recorded[]): RequestState | undefined => events.reduce(evolve, undefined as RequestState | undefined);

/** Open and past its legal deadline. */
export const isOverdue = (state: Pick<RequestState, 'status' | 'dueAtMs'>, nowMs: number): boolean => state.status === 'open' && state.dueAtMs < nowMs;
