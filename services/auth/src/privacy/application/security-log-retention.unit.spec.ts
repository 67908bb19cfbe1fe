// Does the retention job apply each tenant's own period, record RetentionPurged only where it deleted something, and prune old consumer markers?
import { ConcurrencyError } from '@enclave/eventing';
import { AuthEventLog, type AuthEvent } from '../../shared/application/auth-event-log';
import type { ActorRef } from '../../shared/application/actor';
import { IdGenerator } from '../../shared/application/id-generator';
import { DAY_MS } from '../domain/retention-policy';
import { SecurityLogRetention } from './security-log-retention';
import { SecurityLogStore } from './subject-records';

const NOW = 1_000 * DAY_MS;

class Logs extends SecurityLogStore {
  /** Creation times of each tenant's records. */
  readonly records = new Map<string, number[]>([
    ['t-default', [NOW - 100 * DAY_MS, NOW - 10 * DAY_MS]],
    ['t-short', [NOW - 10 * DAY_MS, NOW - 3 * DAY_MS, NOW - 1 * DAY_MS]],
    ['t-unprofiled', [NOW - 91 * DAY_MS]],
  ]);
  async tenantsWithLinks() {
    return [...this.records.keys()];
  }
  async deleteBefore(tenantId: string, cutoffMs: number) {
    const kept = (this.records.get(tenantId) ?? []).filter((t) => t >= cutoffMs);
    const deleted = (this.records.get(tenantId)?.length ?? 0) - kept.length;
    this.records.set(tenantId, kept);
    return deleted;
  }
}

class Events extends AuthEventLog {
  readonly appended: Array<{ streamId: string; events: AuthEvent[]; actor: ActorRef }> = [];
  async read() {
    return { events: [], version: 0 };
  }
  async append(_tenantId: string, streamId: string, expectedVersion: number, events: AuthEvent[], actor: ActorRef) {
    if (expectedVersion !== 0 || this.appended.some((a) => a.streamId === streamId)) throw new ConcurrencyError(streamId, expectedVersion);
    this.appended.push({ streamId, events, actor });
  }
}

class Ids extends IdGenerator {
  private n = 0;
  next() {
    return `run-${++this.n}`;
  }
}

const tenants = {
  listProfiles: async () => [
    { tenantId: 't-default', instanceName: 'A', ownerSubjectId: 'o' },
    { tenantId: 't-short', instanceName: 'B', ownerSubjectId: 'o', securityLogDays: 2 },
    { tenantId: 't-empty', instanceName: 'C', ownerSubjectId: 'o', securityLogDays: 7 },
  ],
};

describe('security log retention', () => {
  it('deletes per tenant period and records one RetentionPurged per tenant that lost records', async () => {
    const logs = new Logs();
    const events = new Events();
    const run = await new SecurityLogRetention(tenants, logs, events, new Ids()).runOnce(NOW);
    expect(run.purged).toEqual([
      { tenantId: 't-default', cutoffMs: NOW - 90 * DAY_MS, recordsDeleted: 1 },
      { tenantId: 't-short', cutoffMs: NOW - 2 * DAY_MS, recordsDeleted: 2 },
      { tenantId: 't-unprofiled', cutoffMs: NOW - 90 * DAY_MS, recordsDeleted: 1 },
    ]);
    expect(logs.records.get('t-short')).toEqual([NOW - 1 * DAY_MS]);
    expect(events.appended.map((a) => a.events[0])).toEqual([
      { type: 'RetentionPurged', tenantId: 't-default', subjectId: '', dataClass: 'security_logs', cutoffMs: NOW - 90 * DAY_MS, recordsDeleted: 1 },
      { type: 'RetentionPurged', tenantId: 't-short', subjectId: '', dataClass: 'security_logs', cutoffMs: NOW - 2 * DAY_MS, recordsDeleted: 2 },
      { type: 'RetentionPurged', tenantId: 't-unprofiled', subjectId: '', dataClass: 'security_logs', cutoffMs: NOW - 90 * DAY_MS, recordsDeleted: 1 },
    ]);
    expect(events.appended.every((a) => a.actor.kind === 'service' && a.streamId.startsWith('retention-'))).toBe(true);
  });

  it('records nothing when a run finds nothing to delete', async () => {
    const logs = new Logs();
    const events = new Events();
    const job = new SecurityLogRetention(tenants, logs, events, new Ids());
    await job.runOnce(NOW);
    const before = events.appended.length;
    expect((await job.runOnce(NOW)).purged).toEqual([]);
    expect(events.appended).toHaveLength(before);
  });
});
