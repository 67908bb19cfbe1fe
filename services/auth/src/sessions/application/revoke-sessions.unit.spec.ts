// Does a membership change end the person's sign-ins (removal) or raise their not-before (role
// change) once, and leave alone a change replayed from long ago, whose tokens are all expired?
import { REVOCATION_RETENTION_MS } from '@enclave/session';
import { ConcurrencyError } from '@enclave/eventing';
import { AuthEventLog, type AuthEvent } from '../../shared/application/auth-event-log';
import { Clock } from '../../shared/clock';
import type { SessionRecord } from '../domain/session-record';
import { RevokeSessions } from './revoke-sessions';
import { SessionStore } from './session-store';

const NOW = 1_800_000_000_000;

class MemoryLog extends AuthEventLog {
  readonly streams = new Map<string, AuthEvent[]>();
  async read(): Promise<{ events: AuthEvent[]; version: number }> {
    return { events: [], version: 0 };
  }
  async append(_tenantId: string, streamId: string, _expected: number, events: AuthEvent[]): Promise<void> {
    if (this.streams.has(streamId)) throw new ConcurrencyError(streamId, 0);
    this.streams.set(streamId, events);
  }
}

class MemorySessions extends SessionStore {
  readonly rows = new Map<string, SessionRecord>();
  async create(record: SessionRecord): Promise<void> {
    this.rows.set(record.sessionId, record);
  }
  async findSession(id: string): Promise<SessionRecord | null> {
    return this.rows.get(id) ?? null;
  }
  async claimRefresh(): Promise<boolean> {
    return true;
  }
  async rotate(): Promise<void> {}
  async revoke(_tenantId: string, ids: readonly string[], atMs: number): Promise<void> {
    for (const id of ids) this.rows.set(id, { ...this.rows.get(id)!, revokedAtMs: atMs });
  }
  async activeOf(tenantId: string, subjectId: string): Promise<SessionRecord[]> {
    return [...this.rows.values()].filter((r) => r.tenantId === tenantId && r.subjectId === subjectId && r.revokedAtMs === null);
  }
  async raiseNotBefore(_tenantId: string, subjectId: string, notBeforeMs: number): Promise<void> {
    for (const r of this.rows.values()) if (r.subjectId === subjectId) this.rows.set(r.sessionId, { ...r, notBeforeMs });
  }
}

function setup() {
  const log = new MemoryLog();
  const sessions = new MemorySessions();
  const applied: AuthEvent[] = [];
  const clock = new (class extends Clock {
    nowMs(): number {
      return NOW;
    }
  })();
  let n = 0;
  const revoke = new RevokeSessions({ sessions, events: log, ids: { next: () => `id-${++n}` }, clock, onRevoked: (e) => applied.push(e) });
  const row = (sessionId: string): SessionRecord => ({
    sessionId, tenantId: 't1', subjectId: 's1', createdAtMs: NOW - 1000, refreshedAtMs: NOW - 1000, expiresAtMs: NOW + 3_600_000, notBeforeMs: 0, revokedAtMs: null, refreshHash: 'h', previousRefreshHash: null,
  });
  void sessions.create(row('a'));
  void sessions.create(row('b'));
  return { log, sessions, applied, revoke };
}

const actor = { kind: 'service', name: 'tenant' } as const;

describe('RevokeSessions.membershipChanged', () => {
  it('ends every sign-in of a removed person, once, and applies it on this replica', async () => {
    const { log, sessions, applied, revoke } = setup();
    await revoke.membershipChanged('t1', 's1', 'removed', { eventId: 'e1', occurredAtMs: NOW - 500 }, actor);
    await revoke.membershipChanged('t1', 's1', 'removed', { eventId: 'e1', occurredAtMs: NOW - 500 }, actor);
    expect([...log.streams.keys()]).toEqual(['session-revocation-e1-s1']);
    expect(log.streams.get('session-revocation-e1-s1')).toEqual([
      { type: 'SessionsRevoked', tenantId: 't1', subjectId: 's1', sessionIds: ['a', 'b'], notBeforeMs: NOW, reason: 'member_removed' },
    ]);
    expect([...sessions.rows.values()].map((r) => r.revokedAtMs)).toEqual([NOW, NOW]);
    expect(applied).toHaveLength(2);
  });

  it('raises the not-before of a person whose role changed, and keeps their sign-ins', async () => {
    const { log, sessions, revoke } = setup();
    await revoke.membershipChanged('t1', 's1', 'role_changed', { eventId: 'e2', occurredAtMs: NOW }, actor);
    expect(log.streams.get('session-revocation-e2-s1')).toEqual([
      { type: 'SessionsRevoked', tenantId: 't1', subjectId: 's1', sessionIds: [], notBeforeMs: NOW, reason: 'role_changed' },
    ]);
    expect([...sessions.rows.values()].map((r) => [r.revokedAtMs, r.notBeforeMs])).toEqual([[null, NOW], [null, NOW]]);
  });

  it('does nothing for a change older than any access token can live (history replayed)', async () => {
    const { log, sessions, revoke } = setup();
    await revoke.membershipChanged('t1', 's1', 'removed', { eventId: 'old', occurredAtMs: NOW - REVOCATION_RETENTION_MS - 1 }, actor);
    expect(log.streams.size).toBe(0);
    expect([...sessions.rows.values()].every((r) => r.revokedAtMs === null)).toBe(true);
  });
});
