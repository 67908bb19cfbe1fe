// Does a breach incident get recorded once with notify-by = detected + 72 h, refuse a detection in the future or before the tenant existed, resolve once, and count as overdue only when not notified past its deadline (time injected)?
import { BREACH_NOTIFY_WITHIN_MS, decideBreach, evolveBreach, foldBreach, InvalidBreach, isBreachOverdue, type BreachCommand } from './breach';
import { RequestRefused, type BreachEvent } from './privacy-events';

const NOW = Date.UTC(2026, 4, 10, 12);
const HOUR = 3_600_000;
const record = (over: Partial<Extract<BreachCommand, { type: 'Record' }>> = {}): BreachCommand => ({
  type: 'Record',
  incidentId: 'i-1',
  detectedAtMs: NOW - 5 * HOUR,
  severity: 'high',
  affectedSubjectCount: 12,
  nowMs: NOW,
  ...over,
});
const given = (...commands: BreachCommand[]) => {
  let state;
  let at = NOW;
  for (const command of commands) for (const event of decideBreach(command, state)) state = evolveBreach(state, { event, atMs: (at += 1000) });
  return state;
};

describe('recording a breach', () => {
  it('records it with the 72-hour deadline from detection, open', () => {
    expect(decideBreach(record(), undefined)).toEqual([
      { type: 'BreachIncidentRecorded', incidentId: 'i-1', detectedAtMs: NOW - 5 * HOUR, notifyByMs: NOW - 5 * HOUR + 72 * HOUR, severity: 'high', affectedSubjectCount: 12 },
    ]);
    expect(BREACH_NOTIFY_WITHIN_MS).toBe(72 * HOUR);
    expect(given(record())).toMatchObject({ incidentId: 'i-1', status: 'open', recordedAtMs: NOW + 1000, notifyByMs: NOW + 67 * HOUR });
  });

  it('accepts a detection right now and one at the tenant creation instant', () => {
    expect(decideBreach(record({ detectedAtMs: NOW }), undefined)).toHaveLength(1);
    expect(decideBreach(record({ detectedAtMs: NOW - HOUR, tenantSinceMs: NOW - HOUR }), undefined)).toHaveLength(1);
  });

  it('refuses a detection in the future, before the tenant existed, or a bad count', () => {
    expect(() => decideBreach(record({ detectedAtMs: NOW + 1 }), undefined)).toThrow(new InvalidBreach('detectedAt is in the future'));
    expect(() => decideBreach(record({ tenantSinceMs: NOW - 4 * HOUR }), undefined)).toThrow(/before the tenant existed/);
    expect(() => decideBreach(record({ affectedSubjectCount: -1 }), undefined)).toThrow(InvalidBreach);
    expect(() => decideBreach(record({ affectedSubjectCount: 1.5 }), undefined)).toThrow(InvalidBreach);
  });

  it('refuses to record the same incident twice', () => {
    expect(() => decideBreach(record(), given(record()))).toThrow(RequestRefused);
  });
});

describe('resolving', () => {
  it('resolves once; a second time or an unknown incident is refused', () => {
    const open = given(record());
    expect(decideBreach({ type: 'Resolve' }, open)).toEqual([{ type: 'BreachIncidentResolved', incidentId: 'i-1' }]);
    const resolved = given(record(), { type: 'Resolve' });
    expect(resolved).toMatchObject({ status: 'resolved', resolvedAtMs: NOW + 2000 });
    expect(() => decideBreach({ type: 'Resolve' }, resolved)).toThrow(/resolved already/);
    expect(() => decideBreach({ type: 'Resolve' }, undefined)).toThrow(/no such incident/);
  });

  it('folds the stream in order', () => {
    const events: BreachEvent[] = [...decideBreach(record(), undefined), { type: 'BreachIncidentResolved', incidentId: 'i-1' }];
    expect(foldBreach(events.map((event, i) => ({ event, atMs: NOW + i })))).toMatchObject({ status: 'resolved', resolvedAtMs: NOW + 1, recordedAtMs: NOW });
  });
});

describe('overdue', () => {
  const notifyByMs = NOW + 67 * HOUR;

  it('is overdue only when not notified and the deadline has passed', () => {
    expect(isBreachOverdue({ notifyByMs }, notifyByMs)).toBe(false);
    expect(isBreachOverdue({ notifyByMs }, notifyByMs + 1)).toBe(true);
    expect(isBreachOverdue({ notifyByMs, notifiedAtMs: notifyByMs + 5 * HOUR }, notifyByMs + 10 * HOUR)).toBe(false);
  });
});
