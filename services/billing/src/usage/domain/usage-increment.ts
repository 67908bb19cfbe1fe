// What one delivered chat completion adds to the usage totals: its tokens and one message.

export interface UsageIncrement {
  promptTokens: number;
  completionTokens: number;
  messages: number;
}

export class InvalidUsageError extends RangeError {
  override readonly name = 'InvalidUsageError';
}

export function usageIncrement(usage: { promptTokens: number; completionTokens: number }): UsageIncrement {
  for (const [field, value] of Object.entries(usage)) {
    if (!Number.isSafeInteger(value) || value < 0) throw new InvalidUsageError(`${field} must be a non-negative integer`);
  }
  return { promptTokens: usage.promptTokens, completionTokens: usage.completionTokens, messages: 1 };
}

/** What counts against the quota: prompt and completion tokens together. */
export function totalTokens(usage: { promptTokens: number; completionTokens: number }): number {
  return usage.promptTokens + usage.completionTokens;
}
