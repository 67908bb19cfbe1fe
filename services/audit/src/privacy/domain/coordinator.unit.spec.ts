// Given a request's state, the time and what the log shows, does the coordinator pick the right next step (purge after grace, erase after five confirmations, complete a rectification) and nothing otherwise?
import { nextStep, needsFacts } from './coordinator';
import { DAY_MS } from './privacy-events';
import type { RequestState } from './request';

const T0 = Date.UTC(2026, 0, 1);
const erasure: RequestState = { requestId: 'r', subjectId: 's', kind: 'erasure', status: 'open', openedAtMs: T0, dueAtMs: T0 + 30 * DAY_MS, erasure: 'grace', graceEndsAtMs: T0 + 30 * DAY_MS };
const none = { purgeConfirmedBy: [], rectifiedAfterOpening: false };

describe('nextStep', () => {
  it('waits during grace, then requests the purge', () => {
    expect(nextStep(erasure, T0 + 30 * DAY_MS - 1, none)).toBeUndefined();
    expect(nextStep(erasure, T0 + 30 * DAY_MS, none)).toEqual({ type: 'RequestPurge', nowMs: T0 + 30 * DAY_MS });
  });

  it('offers the confirmations seen while purging (the decider checks they are all five)', () => {
    const purging = { ...erasure, erasure: 'purging' as const };
    expect(nextStep(purging, T0 + 31 * DAY_MS, { ...none, purgeConfirmedBy: ['auth'] })).toEqual({ type: 'ConfirmPurge', confirmedBy: ['auth'], nowMs: T0 + 31 * DAY_MS });
    expect(needsFacts(purging)).toEqual({ confirmations: true, rectification: false });
    expect(needsFacts(erasure)).toEqual({ confirmations: false, rectification: false });
  });

  it('does nothing for a cancelled or completed erasure', () => {
    expect(nextStep({ ...erasure, erasure: 'cancelled', status: 'completed' }, T0 + 60 * DAY_MS, none)).toBeUndefined();
    expect(nextStep({ ...erasure, erasure: 'cancelled' }, T0 + 60 * DAY_MS, none)).toBeUndefined();
  });

  it('completes a rectification once the log shows one after the opening', () => {
    const rect: RequestState = { ...erasure, kind: 'rectification', erasure: undefined, graceEndsAtMs: undefined };
    expect(nextStep(rect, T0, none)).toBeUndefined();
    expect(nextStep(rect, T0, { ...none, rectifiedAfterOpening: true })).toEqual({ type: 'CompleteRectification' });
    expect(needsFacts(rect)).toEqual({ confirmations: false, rectification: true });
  });

  it('leaves access, restriction and objection requests alone', () => {
    for (const kind of ['access', 'restriction', 'objection'] as const) expect(nextStep({ ...erasure, kind }, T0 + 60 * DAY_MS, none)).toBeUndefined();
  });
});
