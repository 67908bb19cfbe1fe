/** One environment variable that failed validation; never carries the value itself. */
export interface ConfigProblem {
  variable: string;
  reason: string;
}

/** Thrown by loadConfig; the message names every bad variable and why, never a value. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(
      `Invalid configuration (${problems.length} variable${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((p) => `  - ${p.variable}: ${p.reason}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}
