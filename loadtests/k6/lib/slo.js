// Thresholds written as service-level objectives, per mode. Local numbers: the fake upstream
// answers at once, so these bound what the platform itself adds on this machine. Override the
// latency budget with SLO_P95_MS / SLO_P99_MS.
const budget = {
  stream: { p95: 1500, p99: 3000 },
  json: { p95: 300, p99: 800 },
};

export function thresholdsFor(mode) {
  const p95 = Number(__ENV.SLO_P95_MS || budget[mode].p95);
  const p99 = Number(__ENV.SLO_P99_MS || budget[mode].p99);
  return {
    // Availability: fewer than 1% of requests fail (status >= 400 or no answer).
    http_req_failed: [{ threshold: 'rate<0.01', abortOnFail: false }],
    // Correctness: at least 99% of chats give the right answer (deltas + done with usage, or JSON echo).
    chat_ok: ['rate>0.99'],
    // Latency of the whole answer (for SSE: until the last event).
    chat_duration: [`p(95)<${p95}`, `p(99)<${p99}`],
    // At least one chat really ran.
    chats: ['count>0'],
  };
}

export const SUMMARY_TREND_STATS = ['avg', 'min', 'p(50)', 'p(90)', 'p(95)', 'p(99)', 'max'];
