// A small pool of hash-range workers: each takes the next queued job when it is free, so a slow
// core does not hold the others back. Jobs fail (never hang) when a worker dies.
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { RangeJob, RangeResult } from '../domain/hash-range';

/** Runs range jobs; the pool below, or anything answering as hashRange does (tests run it in process). */
export interface RangeRunner {
  readonly size: number;
  run(job: RangeJob): Promise<RangeResult>;
}

interface Pending {
  job: RangeJob;
  resolve(result: RangeResult): void;
  reject(error: Error): void;
}

/** The compiled worker next to this file (dist/export/parallel/hash-range.worker.js). */
export const WORKER_FILE = join(__dirname, 'hash-range.worker.js');

export const defaultPoolSize = (): number => Math.max(1, availableParallelism());

export class WorkerPool implements RangeRunner {
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<Worker, Pending>();
  private readonly queue: Pending[] = [];
  private closed = false;

  constructor(
    readonly size: number = defaultPoolSize(),
    file: string = WORKER_FILE,
  ) {
    if (!Number.isSafeInteger(size) || size < 1) throw new RangeError('a worker pool needs at least one worker');
    for (let i = 0; i < size; i++) this.idle.push(this.spawn(file));
  }

  run(job: RangeJob): Promise<RangeResult> {
    if (this.closed) return Promise.reject(new Error('the worker pool is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ job, resolve, reject });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const workers = [...this.idle, ...this.busy.keys()];
    this.idle.length = 0;
    for (const pending of [...this.busy.values(), ...this.queue.splice(0)]) pending.reject(new Error('the worker pool was closed'));
    this.busy.clear();
    await Promise.all(workers.map((w) => w.terminate()));
  }

  private spawn(file: string): Worker {
    const worker = new Worker(file);
    worker.on('message', (result: RangeResult) => {
      const pending = this.busy.get(worker);
      this.busy.delete(worker);
      this.idle.push(worker);
      pending?.resolve(result);
      this.dispatch();
    });
    const fail = (error: Error) => {
      const pending = this.busy.get(worker);
      this.busy.delete(worker);
      const i = this.idle.indexOf(worker);
      if (i !== -1) this.idle.splice(i, 1);
      pending?.reject(error);
      // With no worker left, nothing would ever take the queued jobs.
      if (this.idle.length === 0 && this.busy.size === 0) for (const p of this.queue.splice(0)) p.reject(error);
    };
    worker.on('error', (error) => fail(error instanceof Error ? error : new Error(String(error))));
    worker.on('exit', (code) => {
      if (!this.closed) fail(new Error(`a verifier worker exited (code ${code})`));
    });
    return worker;
  }

  private dispatch(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const worker = this.idle.pop()!;
      const pending = this.queue.shift()!;
      this.busy.set(worker, pending);
      worker.postMessage(pending.job, [pending.job.lengths.buffer as ArrayBuffer, pending.job.seqs.buffer as ArrayBuffer]);
    }
  }
}
