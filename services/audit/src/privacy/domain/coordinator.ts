// What the erasure coordinator (and the rectification watch) should do next for one request,
// given what the log shows and the time: a pure decision, so the jobs runner, the ingestion
// hook and the tests all ask the same question.
import type { RequestCommand, RequestState } from './request';

/** Facts read from the audit log for one request. */
export interface LogFacts {
  /** Services whose SubjectDataPurged for this request is in the log. */
  purgeConfirmedBy: readonly string[];
  /** An auth AccountRectified of the subject was logged after the request's opening. */
  rectifiedAfterOpening: boolean;
}

export function nextStep(state: RequestState, nowMs: number, facts: LogFacts): RequestCommand | undefined {
  if (state.status !== 'open') return undefined;
  switch (state.kind) {
    case 'erasure':
      if (state.erasure === 'grace' && nowMs >= (state.graceEndsAtMs ?? Infinity)) return { type: 'RequestPurge', nowMs };
      if (state.erasure === 'purging') return { type: 'ConfirmPurge', confirmedBy: facts.purgeConfirmedBy, nowMs };
      return undefined;
    case 'rectification':
      return facts.rectifiedAfterOpening ? { type: 'CompleteRectification' } : undefined;
    case 'access':
    case 'restriction':
    case 'objection':
      return undefined;
    default: {
      const unhandled: never = state.kind;
      throw new Error(`unhandled request kind ${String(unhandled)}`);
    }
  }
}

/** Which facts the step needs (so the runner reads the log only when it matters). */
export function needsFacts(state: RequestState): { confirmations: boolean; rectification: boolean } {
  return {
    confirmations: state.status === 'open' && state.erasure === 'purging',
    rectification: state.status === 'open' && state.kind === 'rectification',
  };
}
