// Does an idle kafkajs request queue stop re-arming a timer for itself, while a queue with
// requests waiting (behind a throttle or the in-flight limit) still checks them on time?
import '../index';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const RequestQueue = require('kafkajs/src/network/requestQueue') as new (options: object) => {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  scheduleCheckPendingRequests(): void;
  checkPendingRequests(): void;
  destroy(): void;
};

const logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const queue = () => new RequestQueue({ instrumentationEmitter: null, maxInFlightRequests: 1, requestTimeout: 1000, enforceRequestTimeout: false, clientId: 'c', broker: 'b', logger, isConnected: () => true });

it('schedules nothing when nothing is pending and nothing is throttled (the 1 ms loop)', () => {
  const q = queue();
  q.checkPendingRequests();
  expect(q.throttleCheckTimeoutId).toBeNull();
  q.destroy();
});

it('still schedules a check while requests wait', () => {
  const q = queue();
  q.pending.push({ correlationId: 1 });
  q.scheduleCheckPendingRequests();
  expect(q.throttleCheckTimeoutId).not.toBeNull();
  q.destroy();
});

it('still schedules the end of a throttle', () => {
  const q = queue();
  q.throttledUntil = Date.now() + 60_000;
  q.scheduleCheckPendingRequests();
  expect(q.throttleCheckTimeoutId).not.toBeNull();
  q.destroy();
});
