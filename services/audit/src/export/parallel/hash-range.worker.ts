// A worker thread of the parallel bundle verifier: answers RangeJobs with hashRange. Needs nothing
// but node and audit's pure domain code, so it runs from a copy of dist/ alone.
import { parentPort } from 'node:worker_threads';
import { hashRange, type RangeJob } from '../domain/hash-range';

const port = parentPort;
if (!port) throw new Error('hash-range.worker runs as a worker thread');
port.on('message', (job: RangeJob) => {
  const result = hashRange(job);
  port.postMessage(result, [result.status.buffer as ArrayBuffer]);
});
