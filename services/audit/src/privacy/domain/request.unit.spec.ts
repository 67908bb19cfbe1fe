// Does a data-subject request go through its lifecycle as the rules say: what each kind appends when opened, cancelling only within grace, purge once, erased only after all five confirmations, export and rectification completing it?
import { DAY_MS, RequestRefused, type PrivacyEvent } from './privacy-events';
import { decide, evolve, isOverdue, type RequestCommand, type RequestState } from './request';

const T0 = Date.UTC(2026, 0, 1);
const open = (kind: 'access' | 'rectification' | 'restriction' | 'objection' | 'erasure'): RequestCommand => ({ type: 'Open', requestId: 'r-1', subjectId: 's-1', kind, nowMs: T0, graceDays: 30 });

/** given events → state; when command → then events */
function given(...commands: RequestCommand[]): RequestState | undefined {
  let state: RequestState | undefined;
  let at = T0;
  for (const command of commands) for (const event of decide(command, state)) state = evolve(state, { event, atMs: (at += 1000) });
  return state;
}

describe('opening a request', () => {
  it('access and rectification: opened, due in 30 days', () => {
    expect(decide(open('access'), undefined)).toEqual([{ type: 'DataSubjectRequestOpened', requestId: 'r-1', subjectId: 's-1', kind: 'access', dueAtMs: T0 + 30 * DAY_MS }]);
    expect(given(open('rectification'))).toMatchObject({ status: 'open', kind: 'rectification', openedAtMs: T0, dueAtMs: T0 + 30 * DAY_MS });
  });

  it('restriction and objection: restricted at once and completed', () => {
    const events = decide(open('objection'), undefined);
    expect(events.map((e) => e.type)).toEqual(['DataSubjectRequestOpened', 'ProcessingRestricted', 'DataSubjectRequestCompleted']);
    expect(events[1]).toEqual({ type: 'ProcessingRestricted', subjectId: 's-1', requestId: 'r-1', kind: 'objection' });
    expect(given(open('restriction'))).toMatchObject({ status: 'completed', outcome: 'fulfilled' });
  });

  it('erasure: requested with the grace period, still open', () => {
    const events = decide(open('erasure'), undefined);
    expect(events[1]).toEqual({ type: 'ErasureRequested', requestId: 'r-1', subjectId: 's-1', graceEndsAtMs: T0 + 30 * DAY_MS });
    expect(given(open('erasure'))).toMatchObject({ status: 'open', erasure: 'grace', graceEndsAtMs: T0 + 30 * DAY_MS });
  });

  it('refuses to open a request twice', () => {
    expect(() => decide(open('access'), given(open('access')))).toThrow(RequestRefused);
  });
});

describe('erasure', () => {
  const graceEnd = T0 + 30 * DAY_MS;

  it('can be cancelled within grace: cancelled and completed', () => {
    const events = decide({ type: 'CancelErasure', nowMs: graceEnd - 1 }, given(open('erasure')));
    expect(events.map((e) => e.type)).toEqual(['ErasureCancelled', 'DataSubjectRequestCompleted']);
    expect((events[1] as Extract<PrivacyEvent, { type: 'DataSubjectRequestCompleted' }>).outcome).toBe('cancelled');
  });

  it('cannot be cancelled after grace, nor twice, nor when not an erasure', () => {
    expect(() => decide({ type: 'CancelErasure', nowMs: graceEnd }, given(open('erasure')))).toThrow(/grace period is over/);
    const cancelled = given(open('erasure'), { type: 'CancelErasure', nowMs: T0 });
    expect(() => decide({ type: 'CancelErasure', nowMs: T0 }, cancelled)).toThrow(RequestRefused);
    expect(() => decide({ type: 'CancelErasure', nowMs: T0 }, given(open('access')))).toThrow(/only an erasure/);
  });

  it('requests the purge once grace is over, and only once', () => {
    expect(decide({ type: 'RequestPurge', nowMs: graceEnd - 1 }, given(open('erasure')))).toEqual([]);
    expect(decide({ type: 'RequestPurge', nowMs: graceEnd }, given(open('erasure')))).toEqual([{ type: 'SubjectPurgeRequested', requestId: 'r-1', subjectId: 's-1' }]);
    const purging = given(open('erasure'), { type: 'RequestPurge', nowMs: graceEnd });
    expect(purging).toMatchObject({ erasure: 'purging' });
    expect(decide({ type: 'RequestPurge', nowMs: graceEnd + DAY_MS }, purging)).toEqual([]);
  });

  it('never purges a cancelled erasure', () => {
    const cancelled = given(open('erasure'), { type: 'CancelErasure', nowMs: T0 });
    expect(decide({ type: 'RequestPurge', nowMs: graceEnd + DAY_MS }, cancelled)).toEqual([]);
  });

  it('records the erasure only when all five services confirmed, with the services sorted', () => {
    const purging = given(open('erasure'), { type: 'RequestPurge', nowMs: graceEnd });
    expect(decide({ type: 'ConfirmPurge', confirmedBy: ['auth', 'tenant', 'billing', 'key-vault'], nowMs: graceEnd + 5 }, purging)).toEqual([]);
    const events = decide({ type: 'ConfirmPurge', confirmedBy: ['tenant', 'chat-gateway', 'auth', 'billing', 'key-vault', 'auth'], nowMs: graceEnd + 5 }, purging);
    expect(events).toEqual([
      { type: 'SubjectErased', requestId: 'r-1', subjectId: 's-1', confirmedBy: ['auth', 'billing', 'chat-gateway', 'key-vault', 'tenant'], requestedAtMs: T0, completedAtMs: graceEnd + 5 },
      { type: 'DataSubjectRequestCompleted', requestId: 'r-1', subjectId: 's-1', kind: 'erasure', outcome: 'fulfilled' },
    ]);
    const done = events.reduce<RequestState | undefined>((s, event) => evolve(s, { event, atMs: graceEnd + 5 }), purging);
    expect(done).toMatchObject({ status: 'completed', outcome: 'fulfilled', erasure: 'erased', completedAtMs: graceEnd + 5 });
    expect(decide({ type: 'ConfirmPurge', confirmedBy: ['auth', 'billing', 'chat-gateway', 'key-vault', 'tenant'], nowMs: graceEnd + 9 }, done)).toEqual([]);
  });
});

describe('access, rectification and overdue', () => {
  it('an export completes the open access request; none open → refused', () => {
    const events = decide({ type: 'RecordExport', services: ['auth'], documentSha256: 'ab' }, given(open('access')));
    expect(events.map((e) => e.type)).toEqual(['SubjectDataExported', 'DataSubjectRequestCompleted']);
    const done = given(open('access'), { type: 'RecordExport', services: ['auth'], documentSha256: 'ab' });
    expect(done).toMatchObject({ status: 'completed', export: { services: ['auth'], documentSha256: 'ab' } });
    expect(() => decide({ type: 'RecordExport', services: [], documentSha256: 'ab' }, done)).toThrow(RequestRefused);
  });

  it('an export pulled on the person\'s behalf records why and how many messages it carried', () => {
    const [exported] = decide({ type: 'RecordExport', services: ['chat-gateway'], documentSha256: 'cd', onBehalf: { reason: 'legal_obligation', messagesReturned: 0 } }, given(open('access')));
    expect(exported).toEqual({
      type: 'SubjectDataExported', requestId: 'r-1', subjectId: 's-1', services: ['chat-gateway'], documentSha256: 'cd', onBehalf: { reason: 'legal_obligation', messagesReturned: 0 },
    });
  });

  it('a rectification completes once, other kinds ignore it', () => {
    const done = given(open('rectification'), { type: 'CompleteRectification' });
    expect(done).toMatchObject({ status: 'completed', outcome: 'fulfilled' });
    expect(decide({ type: 'CompleteRectification' }, done)).toEqual([]);
    expect(decide({ type: 'CompleteRectification' }, given(open('access')))).toEqual([]);
  });

  it('is overdue when open and past its due date', () => {
    const state = given(open('access'))!;
    expect(isOverdue(state, state.dueAtMs)).toBe(false);
    expect(isOverdue(state, state.dueAtMs + 1)).toBe(true);
    expect(isOverdue({ ...state, status: 'completed' }, state.dueAtMs + 1)).toBe(false);
  });
});
