// Does the periodic job never overlap runs, contain failures, and let stop() wait for a run in progress?
import { PeriodicJob } from './periodic-job';

describe('periodic job', () => {
  it('joins a tick to the run in progress and stop() waits for it', async () => {
    let release!: () => void;
    let runs = 0;
    const job = new PeriodicJob(3_600_000, () => {
      runs++;
      return new Promise<void>((r) => (release = r));
    }, () => undefined);
    job.start();
    const first = job.tick();
    const second = job.tick();
    expect(runs).toBe(1);
    let stopped = false;
    const stopping = job.stop().then(() => (stopped = true));
    await Promise.resolve();
    expect(stopped).toBe(false);
    release();
    await Promise.all([first, second, stopping]);
    expect(stopped).toBe(true);
  });

  it('hands a failed run to the error handler and runs again next time', async () => {
    const errors: unknown[] = [];
    let runs = 0;
    const job = new PeriodicJob(1000, async () => {
      runs++;
      if (runs === 1) throw new Error('boom');
    }, (e) => errors.push(e));
    await job.tick();
    await job.tick();
    expect(errors).toEqual([new Error('boom')]);
    expect(runs).toBe(2);
  });
});
