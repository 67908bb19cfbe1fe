// Work that must not shape a response: a login-link request answers 202 at once and the
// lookup and mail happen here, so a known and an unknown email take the same time to answer.
// Tasks are tracked so shutdown (and tests) can wait for them to finish.

export type TaskErrorHandler = (error: unknown) => void;

export class BackgroundTasks {
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly onError: TaskErrorHandler) {}

  run(task: () => Promise<void>): void {
    const promise = Promise.resolve()
      .then(task)
      .catch((error: unknown) => this.onError(error))
      .finally(() => this.pending.delete(promise));
    this.pending.add(promise);
  }

  /** Resolves when every task started so far (and any they started) has settled. */
  async drain(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  get size(): number {
    return this.pending.size;
  }
}
