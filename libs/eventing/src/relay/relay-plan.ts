import type { OutboxClaim } from '../store/outbox';

/** What one relay pass does with the outbox it read: pure, so every case is unit-tested. */
export interface RelayPlan {
  /** Claims decided ok, in seq order: their events are sent, in this order, in one batch. */
  send: OutboxClaim[];
  /** Claims finished by this pass (sent or decided not ok): cleared after the send is acknowledged. */
  cleared: number[];
  /** The position once this pass is acknowledged. */
  position: number;
  /** What stopped the pass before the end of the outbox, if anything. */
  blocked?: { kind: 'undecided'; claim: OutboxClaim } | { kind: 'gap'; seq: number; next: number };
}

/**
 * Walks the open claims in seq order from the position:
 * - a claim decided ok is sent, one decided not ok is skipped; both move the position to its end;
 * - an undecided claim (its append is in flight, or died) stops the pass: later claims wait,
 *   so events go out in seq order; the relay resolves it once it stayed undecided too long;
 * - a gap (no claim at position+1 while higher ones exist) also stops the pass; the relay skips it
 *   once it stayed open too long. Gaps only arise from races between relays, since numbers are
 *   claimed in order (see sequence-allocator.ts);
 * - a claim at or below the position (a late claim: its appender reused a number the relay had
 *   already cleared) is handled like any other: published late rather than never.
 * The pass stops after batchSize events (always taking at least one claim).
 */
export function planRelay(claims: readonly OutboxClaim[], position: number, batchSize: number): RelayPlan {
  const plan: RelayPlan = { send: [], cleared: [], position };
  let events = 0;
  for (const claim of claims) {
    if (claim.seq > plan.position + 1) {
      plan.blocked = { kind: 'gap', seq: plan.position + 1, next: claim.seq };
      break;
    }
    if (claim.ok === undefined) {
      plan.blocked = { kind: 'undecided', claim };
      break;
    }
    if (claim.ok) {
      if (events > 0 && events + claim.events.length > batchSize) break;
      plan.send.push(claim);
      events += claim.events.length;
    }
    plan.cleared.push(claim.seq);
    plan.position = Math.max(plan.position, claim.end);
    if (events >= batchSize) break;
  }
  return plan;
}
