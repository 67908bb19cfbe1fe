// The quota of one tenant as an event-sourced aggregate (stream `quota-<tenantId>`).
// QuotaExhausted is decided here rather than where usage is counted, so it is raised at most
// once per month per quota setting even when several deliveries race: the event store's
// optimistic concurrency lets only one of them append.
import { isExhausted, isValidQuota, type MonthlyTokenQuota } from './quota-status';

export type QuotaCommand =
  /** The platform operator sets the quota (null = unlimited). */
  | { type: 'SetQuota'; monthlyTokenQuota: MonthlyTokenQuota }
  /** A new instance gets the default quota unless one was already set. */
  | { type: 'ApplyDefaultQuota'; monthlyTokenQuota: MonthlyTokenQuota }
  /** The month's usage total changed (or is being re-checked). */
  | { type: 'CheckMonthlyUsage'; month: string; tokensUsed: number };

export type QuotaEvent =
  | { type: 'QuotaSet'; monthlyTokenQuota: MonthlyTokenQuota }
  | { type: 'QuotaExhausted'; month: string; tokensUsed: number; monthlyTokenQuota: number };

export interface QuotaState {
  /** True once any QuotaSet happened (the default no longer applies). */
  configured: boolean;
  monthlyTokenQuota: MonthlyTokenQuota;
  /** Months already reported exhausted under the current quota. */
  exhaustedMonths: readonly string[];
}

export const initialQuotaState: QuotaState = { configured: false, monthlyTokenQuota: null, exhaustedMonths: [] };

export class InvalidQuotaError extends RangeError {
  override readonly name = 'InvalidQuotaError';
  constructor() {
    super('monthlyTokenQuota must be a non-negative integer or null');
  }
}

export function decide(command: QuotaCommand, state: QuotaState): QuotaEvent[] {
  switch (command.type) {
    case 'SetQuota':
      if (!isValidQuota(command.monthlyTokenQuota)) throw new InvalidQuotaError();
      if (state.configured && state.monthlyTokenQuota === command.monthlyTokenQuota) return [];
      return [{ type: 'QuotaSet', monthlyTokenQuota: command.monthlyTokenQuota }];
    case 'ApplyDefaultQuota':
      if (!isValidQuota(command.monthlyTokenQuota)) throw new InvalidQuotaError();
      if (state.configured || command.monthlyTokenQuota === null) return [];
      return [{ type: 'QuotaSet', monthlyTokenQuota: command.monthlyTokenQuota }];
    case 'CheckMonthlyUsage': {
      const quota = state.monthlyTokenQuota;
      if (quota === null || !isExhausted(quota, command.tokensUsed)) return [];
      if (state.exhaustedMonths.includes(command.month)) return [];
      return [{ type: 'QuotaExhausted', month: command.month, tokensUsed: command.tokensUsed, monthlyTokenQuota: quota }];
    }
    default:
      return assertNever(command);
  }
}

export function evolve(state: QuotaState, event: QuotaEvent): QuotaState {
  switch (event.type) {
    case 'QuotaSet':
      // A new quota re-arms the warning: reaching the new limit is news again.
      return { configured: true, monthlyTokenQuota: event.monthlyTokenQuota, exhaustedMonths: [] };
    case 'QuotaExhausted':
      return { ...state, exhaustedMonths: [...state.exhaustedMonths, event.month].slice(-24) };
    default:
      return assertNever(event);
  }
}

function assertNever(value: never): never {
  throw new Error(`unhandled quota message: ${JSON.stringify(value)}`);
}
