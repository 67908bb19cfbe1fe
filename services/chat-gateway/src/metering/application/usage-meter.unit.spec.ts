// Does the meter reserve the worst case, refuse with a recorded ChatRefused (once a minute per
// payer and reason), settle to the real usage while the UsageRecorded is made durable, and give a
// reservation back when the provider was never called?
import { createLogger, UnavailableError } from '@enclave/platform';
import type { MeteringFact, Payer } from '../domain/metering-fact';
import { FactsUnavailableError, MeteringRefusedError, type AdmissionGate, type FactSink, type GateVerdict } from './ports';
import { UsageMeter } from './usage-meter';

const logger = createLogger({ service: 'test', level: 'silent' });
const now = Date.UTC(2025, 2, 31, 23, 59, 30);
const member: Payer = { kind: 'member', caller: { tenantId: 't-1', subjectId: 's-1', role: 'member' }, conversationId: 'c-1' };
const limits = { ratePerMinute: 60, keyMonthlyTokens: null };
const usage = { requestId: 'r-1', model: 'm', promptTokens: 30, completionTokens: 12, estimated: false, outcome: 'ok' as const };

function fakes(verdict: GateVerdict | Error, failPublish = false) {
  const admitted: Array<{ wanted: number }> = [];
  const settled: Array<{ reserved: number; used: number }> = [];
  const published: MeteringFact[] = [];
  const gate: AdmissionGate = {
    async admit(_who, wanted) {
      admitted.push({ wanted });
      if (verdict instanceof Error) throw verdict;
      return verdict;
    },
    async settle(reservation, used) {
      settled.push({ reserved: reservation.reserved, used });
    },
  };
  const facts: FactSink = {
    async publish(fact) {
      if (failPublish) throw new FactsUnavailableError(2);
      published.push(fact);
    },
    refusal: () => undefined,
  };
  const meter = new UsageMeter({ gate, facts, clock: () => now, logger, defaultMaxCompletionTokens: 1000 });
  return { meter, admitted, settled, published };
}

const ok = (reserved: number): GateVerdict => ({ admitted: true, reservation: { reserved, counters: ['c'] } });

describe('UsageMeter', () => {
  it('reserves the prompt plus the default cap, then settles to what was used and records it', async () => {
    const { meter, admitted, settled, published } = fakes(ok(1020));
    const admission = await meter.admit({ payer: member, limits, size: { promptTokens: 20, maxCompletionTokens: undefined } });
    expect(admitted).toEqual([{ wanted: 1020 }]);
    await meter.record(admission, usage);
    expect(settled).toEqual([{ reserved: 1020, used: 42 }]);
    expect(published).toEqual([{ type: 'UsageRecorded', payer: member, ...usage }]);
  });

  it('refuses with the reason and a retry-after, once its ChatRefused is recorded; once a minute per payer', async () => {
    const { meter, published } = fakes({ admitted: false, reason: 'quota_exhausted' });
    const request = { payer: member, limits, size: { promptTokens: 1, maxCompletionTokens: 1 } };
    await expect(meter.admit(request)).rejects.toEqual(new MeteringRefusedError('quota_exhausted', 30));
    await expect(meter.admit(request)).rejects.toBeInstanceOf(MeteringRefusedError);
    expect(published).toEqual([{ type: 'ChatRefused', payer: member, reason: 'quota_exhausted' }]);
  });

  it('answers 503 (UnavailableError) when the admission script cannot run', async () => {
    const { meter } = fakes(new Error('redis down'));
    await expect(meter.admit({ payer: member, limits, size: { promptTokens: 1, maxCompletionTokens: 1 } })).rejects.toBeInstanceOf(UnavailableError);
  });

  it('still settles when the usage fact cannot be made durable, and says so', async () => {
    const { meter, settled } = fakes(ok(100), true);
    const admission = await meter.admit({ payer: member, limits, size: { promptTokens: 1, maxCompletionTokens: 99 } });
    await expect(meter.record(admission, usage)).rejects.toBeInstanceOf(FactsUnavailableError);
    expect(settled).toEqual([{ reserved: 100, used: 42 }]);
  });

  it('gives the whole reservation back on release', async () => {
    const { meter, settled, published } = fakes(ok(100));
    await meter.release(await meter.admit({ payer: member, limits, size: { promptTokens: 1, maxCompletionTokens: 99 } }));
    expect(settled).toEqual([{ reserved: 100, used: 0 }]);
    expect(published).toEqual([]);
  });
});
