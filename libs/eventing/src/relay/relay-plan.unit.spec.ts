// Does one relay pass take claims strictly in seq order from the position, skip the ones decided
// not ok, stop at an undecided claim or a gap, handle late claims, and respect the batch size?
import { eventsV1 } from '@enclave/proto';
import type { OutboxClaim } from '../store/outbox';
import type { StoredEvent } from '../store/stored-event';
import { tenantId } from '../tenancy/tenant-id';
import { planRelay } from './relay-plan';

const event = (seq: number): StoredEvent => ({
  id: `id-${seq}`, streamId: 's', version: seq, tenantId: tenantId('tenant-a'), type: 'test.E', subjectId: '',
  actor: { kind: eventsV1.ActorKind.ACTOR_KIND_SYSTEM, id: '', role: '' }, occurredAt: new Date(0), schemaVersion: 1,
  traceparent: '', tracestate: '', payload: Buffer.alloc(0), seq, appendEnd: seq,
});
/** A claim on seq..seq+n-1. */
const claim = (seq: number, ok: boolean | undefined, n = 1): OutboxClaim => ({
  seq, end: seq + n - 1, ok, events: Array.from({ length: n }, (_, i) => event(seq + i)),
});
const seqs = (claims: OutboxClaim[]) => claims.map((c) => c.seq);

describe('planRelay', () => {
  it('sends decided claims in order, skips the ones decided not ok, and moves the position to the last end', () => {
    const plan = planRelay([claim(1, true, 2), claim(3, false), claim(4, true)], 0, 100);
    expect(seqs(plan.send)).toEqual([1, 4]);
    expect(plan).toMatchObject({ cleared: [1, 3, 4], position: 4 });
    expect(plan.blocked).toBeUndefined();
  });

  it('stops at an undecided claim so nothing after it goes out first', () => {
    const undecided = claim(2, undefined);
    const plan = planRelay([claim(1, true), undecided, claim(3, true)], 0, 100);
    expect(seqs(plan.send)).toEqual([1]);
    expect(plan).toMatchObject({ cleared: [1], position: 1, blocked: { kind: 'undecided', claim: undecided } });
  });

  it('stops at a gap: an event with a lower seq may still be committed after a higher one was read', () => {
    const plan = planRelay([claim(5, true), claim(7, true)], 4, 100);
    expect(seqs(plan.send)).toEqual([5]);
    expect(plan).toMatchObject({ position: 5, blocked: { kind: 'gap', seq: 6, next: 7 } });
    expect(planRelay([claim(7, true)], 4, 100)).toMatchObject({ send: [], cleared: [], position: 4, blocked: { kind: 'gap', seq: 5, next: 7 } });
  });

  it('publishes a late claim (a number at or below the position) instead of dropping it', () => {
    const plan = planRelay([claim(3, true), claim(9, true)], 8, 100);
    expect(seqs(plan.send)).toEqual([3, 9]);
    expect(plan).toMatchObject({ cleared: [3, 9], position: 9 });
  });

  it('stops after batchSize events but always takes at least one claim', () => {
    const plan = planRelay([claim(1, true, 2), claim(3, true, 2), claim(5, true)], 0, 3);
    expect(seqs(plan.send)).toEqual([1]);
    expect(plan.position).toBe(2);
    expect(seqs(planRelay([claim(1, true, 5)], 0, 3).send)).toEqual([1]);
    expect(planRelay([claim(1, true), claim(2, true), claim(3, true)], 0, 2)).toMatchObject({ cleared: [1, 2], position: 2 });
  });

  it('has nothing to do on an empty outbox', () => {
    expect(planRelay([], 12, 100)).toEqual({ send: [], cleared: [], position: 12 });
  });
});
