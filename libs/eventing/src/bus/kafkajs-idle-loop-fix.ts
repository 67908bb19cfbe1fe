/**
 * kafkajs 2.2.4 (the last release) keeps every broker connection's request queue re-checking
 * itself on a timer of (-1 - now) ms, which Node runs as 1 ms: checkPendingRequests() schedules
 * the next check even when nothing is pending and nothing is throttled. Each connection wakes the
 * event loop about a thousand times a second forever (measured: 1,700 epoll wakeups/s and 2.5 %
 * of a core per idle service; Node 24 also warns TimeoutNegativeWarning on each). Upstream:
 * tulios/kafkajs#1556, #1704, #1751 (open, unmerged).
 *
 * The fix upstream proposals agree on: with nothing pending and no throttle to wait out, schedule
 * nothing. A request pushed later schedules its own check (push → scheduleCheckPendingRequests
 * with pending > 0), and every response checks the queue again, so nothing waits longer.
 */
interface RequestQueueLike {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: unknown;
  scheduleCheckPendingRequests(): void;
}

const PATCHED = Symbol.for('enclave.kafkajs.idleLoopFix');

export function applyKafkajsIdleLoopFix(RequestQueue: { prototype: RequestQueueLike }): void {
  const proto = RequestQueue.prototype as RequestQueueLike & { [PATCHED]?: true };
  if (proto[PATCHED]) return;
  const original = proto.scheduleCheckPendingRequests;
  if (typeof original !== 'function') return; // another kafkajs: nothing of this shape to fix
  proto.scheduleCheckPendingRequests = function scheduleCheckPendingRequests(this: RequestQueueLike) {
    if (this.pending.length === 0 && !(this.throttledUntil > Date.now())) return;
    original.call(this);
  };
  proto[PATCHED] = true;
}

// Applied on import of @enclave/eventing: every service and test that talks to Kafka imports it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
applyKafkajsIdleLoopFix(require('kafkajs/src/network/requestQueue') as { prototype: RequestQueueLike });
