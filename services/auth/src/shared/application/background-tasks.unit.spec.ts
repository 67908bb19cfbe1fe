// Can shutdown wait for background work, and does a failing task stay contained?
import { BackgroundTasks } from './background-tasks';

describe('background tasks', () => {
  it('drain waits for running tasks and for tasks they start', async () => {
    const done: string[] = [];
    const tasks = new BackgroundTasks(() => undefined);
    tasks.run(async () => {
      await new Promise((r) => setImmediate(r));
      tasks.run(async () => void done.push('child'));
      done.push('parent');
    });
    await tasks.drain();
    expect(done).toEqual(['parent', 'child']);
    expect(tasks.size).toBe(0);
  });

  it('hands a failure to the error handler instead of rejecting', async () => {
    const errors: unknown[] = [];
    const tasks = new BackgroundTasks((e) => errors.push(e));
    tasks.run(async () => {
      throw new Error('boom');
    });
    await tasks.drain();
    expect(errors).toEqual([new Error('boom')]);
  });
});
