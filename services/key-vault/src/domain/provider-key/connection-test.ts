// Judging a provider's answer to "list your models" (GET <baseUrl>/models) made with a tenant's
// key. Pure: the HTTP call is infrastructure. Never returns anything of the provider's body but
// model ids, and drops any id that contains the key (an endpoint could echo it back).

export const TEST_OUTCOMES = ['ok', 'unauthorized', 'rejected', 'upstream_error', 'bad_response', 'unreachable', 'timeout', 'blocked'] as const;
export type TestOutcome = (typeof TEST_OUTCOMES)[number];

export function isTestOutcome(value: string): value is TestOutcome {
  return (TEST_OUTCOMES as readonly string[]).includes(value);
}

export const MAX_MODELS_SHOWN = 200;

export interface ConnectionVerdict {
  outcome: TestOutcome;
  /** Model ids the provider listed (ok only), at most MAX_MODELS_SHOWN. */
  models: string[];
  modelCount: number;
  /** The provider's HTTP status, when it answered. */
  status: number | null;
}

export function judgeModelsResponse(status: number, body: string, apiKey: string): ConnectionVerdict {
  if (status === 401 || status === 403) return verdict('unauthorized', status);
  if (status >= 500) return verdict('upstream_error', status);
  if (status < 200 || status >= 300) return verdict('rejected', status);
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return verdict('bad_response', status);
  }
  const data = (parsed as { data?: unknown } | null)?.data;
  if (!Array.isArray(data)) return verdict('bad_response', status);
  const ids = data
    .map((entry) => (entry as { id?: unknown } | null)?.id)
    .filter((id): id is string => typeof id === 'string' && id.length > 0 && id.length <= 200 && !id.includes(apiKey));
  return { outcome: 'ok', models: ids.slice(0, MAX_MODELS_SHOWN), modelCount: ids.length, status };
}

export function verdict(outcome: Exclude<TestOutcome, 'ok'>, status: number | null = null): ConnectionVerdict {
  return { outcome, models: [], modelCount: 0, status };
}
