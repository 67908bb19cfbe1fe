'use strict';
// A small closed-loop HTTP load generator (node:http, keep-alive): `concurrency` workers each
// send one request, read the whole answer, and send the next, until `durationMs` has passed.
// Latency = request written → last byte of the answer read. Loopback targets only.
const http = require('node:http');

/**
 * @param {{url: string, headers: Record<string,string>, body: string, concurrency: number, durationMs: number, check?: (status: number, body: string) => boolean}} options
 */
async function runLoad(options) {
  const target = new URL(options.url);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(target.hostname)) throw new Error('load only goes to loopback');
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.concurrency, maxFreeSockets: options.concurrency });
  const body = Buffer.from(options.body);
  const headers = { ...options.headers, 'content-type': 'application/json', 'content-length': body.length };
  const latencies = [];
  let errors = 0;
  let firstError;
  const deadline = performance.now() + options.durationMs;

  const once = () =>
    new Promise((resolve) => {
      const started = performance.now();
      const req = http.request({ hostname: target.hostname, port: target.port, path: target.pathname, method: 'POST', agent, headers }, (res) => {
        const parts = [];
        res.on('data', (part) => parts.push(part));
        res.on('end', () => {
          const elapsed = performance.now() - started;
          const text = Buffer.concat(parts).toString('utf8');
          if (res.statusCode === 200 && (!options.check || options.check(res.statusCode, text))) latencies.push(elapsed);
          else {
            errors += 1;
            firstError ??= `${res.statusCode} ${text.slice(0, 200)}`;
          }
          resolve();
        });
        res.on('error', () => {
          errors += 1;
          resolve();
        });
      });
      req.on('error', (error) => {
        errors += 1;
        firstError ??= error.message;
        resolve();
      });
      req.end(body);
    });

  const started = performance.now();
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (performance.now() < deadline) await once();
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const pct = (p) => (latencies.length === 0 ? NaN : latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]);
  return { requests: latencies.length, errors, firstError, rps: latencies.length / seconds, p50: pct(50), p99: pct(99) };
}

module.exports = { runLoad };
