/**
 * The clock of the privacy module (due dates, overdue, grace, jobs): the real time plus an
 * offset that only a test stack can move (PUT /v1/test/clock, TEST_CLOCK_ENABLED=true).
 */
export class PrivacyClock {
  private offset = 0;

  constructor(private readonly base: () => number = Date.now) {}

  readonly now = (): number => this.base() + this.offset;

  get offsetMs(): number {
    return this.offset;
  }

  setOffset(offsetMs: number): void {
    this.offset = offsetMs;
  }
}
