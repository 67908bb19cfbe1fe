import { UnavailableError, type Logger } from '@enclave/platform';
import { retryAfterSec, reservationWanted } from '../domain/admission';
import { tenantOf, type Payer, type RefusalReason } from '../domain/metering-fact';
import {
  MeteringRefusedError, type Admitted, type AdmissionGate, type FactSink, type Meter, type Meterable, type MeteredUsage, type MeterRequest,
} from './ports';

export interface UsageMeterDeps {
  gate: AdmissionGate;
  facts: FactSink;
  clock: () => number;
  logger: Logger;
  /** QUOTA_DEFAULT_MAX_TOKENS: the completion tokens reserved for a request that sets no cap. */
  defaultMaxCompletionTokens: number;
}

/**
 * Reserve → settle → publish, for member chats and virtual-key calls alike. Before the provider:
 * one admission script (rate, tenant quota, key budget, reservation). After the answer: the
 * settle and the durable UsageRecorded side by side; the caller ends its response only once
 * record() resolved. A settle that fails leaves the reservation counted (over-counting, never
 * under-counting) and is only logged. Refusals are recorded at most once per payer, reason and
 * minute, so a client hammering a limit cannot flood the topic.
 */
export class UsageMeter implements Meter {
  private readonly refusalsRecorded = new Map<string, number>();

  constructor(private readonly deps: UsageMeterDeps) {}

  assertCanRecord(): void {
    const busy = this.deps.facts.refusal();
    if (busy) throw busy;
  }

  async admit(request: MeterRequest): Promise<Admitted> {
    const nowMs = this.deps.clock();
    const wanted = reservationWanted(request.size, this.deps.defaultMaxCompletionTokens);
    let verdict;
    try {
      verdict = await this.deps.gate.admit(meterableOf(request), wanted, nowMs);
    } catch (error) {
      this.deps.logger.warn({ err: error }, 'admission script failed');
      throw new UnavailableError('usage limits cannot be checked right now; retry shortly');
    }
    if (!verdict.admitted) throw await this.refusal(request.payer, verdict.reason, retryAfterSec(verdict.reason, nowMs));
    return { payer: request.payer, reservation: verdict.reservation };
  }

  async refusal(payer: Payer, reason: RefusalReason, retryAfter?: number): Promise<MeteringRefusedError> {
    const slot = `${tenantOf(payer)}:${payer.kind === 'member' ? payer.caller.subjectId : payer.keyId}:${reason}`;
    const minute = Math.floor(this.deps.clock() / 60_000);
    if (this.refusalsRecorded.get(slot) !== minute) {
      this.refusalsRecorded.delete(slot);
      this.refusalsRecorded.set(slot, minute);
      if (this.refusalsRecorded.size > 10_000) this.refusalsRecorded.delete(this.refusalsRecorded.keys().next().value!);
      try {
        await this.deps.facts.publish({ type: 'ChatRefused', payer, reason });
      } catch (error) {
        this.refusalsRecorded.delete(slot); // not recorded: the next refusal tries again
        throw error;
      }
    }
    return new MeteringRefusedError(reason, retryAfter);
  }

  async record(admitted: Admitted, usage: MeteredUsage): Promise<void> {
    const settled = this.settle(admitted, usage.promptTokens + usage.completionTokens);
    try {
      await this.deps.facts.publish({ type: 'UsageRecorded', payer: admitted.payer, ...usage });
    } finally {
      await settled;
    }
  }

  release(admitted: Admitted): Promise<void> {
    return this.settle(admitted, 0);
  }

  private async settle(admitted: Admitted, usedTokens: number): Promise<void> {
    try {
      await this.deps.gate.settle(admitted.reservation, usedTokens);
    } catch (error) {
      this.deps.logger.error({ err: error, tenantId: tenantOf(admitted.payer), reserved: admitted.reservation.reserved, usedTokens },
        'reservation not settled: it stays counted');
    }
  }
}

function meterableOf({ payer, limits }: MeterRequest): Meterable {
  return payer.kind === 'member'
    ? { kind: 'member', tenantId: payer.caller.tenantId, subjectId: payer.caller.subjectId, ratePerMinute: limits.ratePerMinute }
    : { kind: 'key', tenantId: payer.tenantId, keyId: payer.keyId, ratePerMinute: limits.ratePerMinute, monthlyTokens: limits.keyMonthlyTokens };
}
