/**
 * A sleep that stop() or nudge() can cut short: wake() resolves every pending sleep at once.
 * Used by loops that must stop promptly instead of waiting out a poll interval or a backoff.
 */
export class InterruptibleSleep {
  private wakers = new Set<() => void>();

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakers.add(done);
    });
  }

  wake(): void {
    for (const done of [...this.wakers]) done();
  }
}
