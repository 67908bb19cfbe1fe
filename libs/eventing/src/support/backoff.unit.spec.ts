// Does the retry delay grow exponentially from its start, stop at its cap, and jitter only downward?
import { backoffDelay, DEFAULT_BACKOFF } from './backoff';

const noJitter = { initialMs: 100, maxMs: 1_000, factor: 2, jitter: 0 };

describe('backoffDelay', () => {
  it('doubles from the initial delay', () => {
    expect([1, 2, 3, 4].map((n) => backoffDelay(n, noJitter))).toEqual([100, 200, 400, 800]);
  });

  it('is capped at maxMs', () => {
    expect(backoffDelay(5, noJitter)).toBe(1_000);
    expect(backoffDelay(50, noJitter)).toBe(1_000);
  });

  it('treats attempts below 1 as the first', () => {
    expect(backoffDelay(0, noJitter)).toBe(100);
  });

  it('subtracts at most jitter*delay', () => {
    const opts = { ...noJitter, jitter: 0.5 };
    expect(backoffDelay(3, opts, () => 0)).toBe(400);
    expect(backoffDelay(3, opts, () => 1)).toBe(200);
    expect(backoffDelay(3, opts, () => 0.5)).toBe(300);
  });

  it('has sane defaults', () => {
    expect(backoffDelay(1, DEFAULT_BACKOFF, () => 0)).toBe(200);
    expect(backoffDelay(100, DEFAULT_BACKOFF, () => 0)).toBe(30_000);
  });
});
