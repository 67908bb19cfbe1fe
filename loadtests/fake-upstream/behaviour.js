'use strict';
// How one request should misbehave, from the model name (what a service can pass through
// unchanged: the tenant's allowed models) or from x-fake-* headers (for direct callers).
//   model fault-429 | fault-500 | fault-hang | fault-broken-stream | fault-stall | fault-no-usage
//   model slow-<ms>                          latency before the first byte
//   header x-fake-fault: 429|500|hang|broken-stream|stall|no-usage
//   header x-fake-latency-ms, x-fake-chunk-delay-ms, x-fake-chunks (number of content chunks)

const FAULTS = new Set(['429', '500', 'hang', 'broken-stream', 'stall', 'no-usage']);
const MAX_DELAY_MS = 600_000;

function header(headers, name) {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function boundedInt(raw, max) {
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) return undefined;
  return Math.min(n, max);
}

/** @returns {{fault: string|undefined, latencyMs: number, chunkDelayMs: number, chunks: number|undefined}} */
function behaviourFor(model, headers, defaults) {
  let fault;
  let latencyMs = 0;
  const m = typeof model === 'string' ? model : '';
  const faultMatch = /^fault-(.+)$/.exec(m);
  if (faultMatch && FAULTS.has(faultMatch[1])) fault = faultMatch[1];
  const slowMatch = /^slow-(\d+)$/.exec(m);
  if (slowMatch) latencyMs = Math.min(Number(slowMatch[1]), MAX_DELAY_MS);

  const headerFault = header(headers, 'x-fake-fault');
  if (headerFault && FAULTS.has(headerFault)) fault = headerFault;
  const headerLatency = boundedInt(header(headers, 'x-fake-latency-ms'), MAX_DELAY_MS);
  if (headerLatency !== undefined) latencyMs = headerLatency;
  const chunkDelay = boundedInt(header(headers, 'x-fake-chunk-delay-ms'), MAX_DELAY_MS);
  const chunks = boundedInt(header(headers, 'x-fake-chunks'), 10_000);
  return {
    fault,
    latencyMs,
    chunkDelayMs: chunkDelay ?? defaults.chunkDelayMs,
    chunks: chunks === 0 ? undefined : chunks,
  };
}

module.exports = { behaviourFor, FAULTS };
