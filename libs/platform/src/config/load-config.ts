import type { z } from 'zod';
import { ConfigError, type ConfigProblem } from './config-error';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Validates environment variables into a typed object. Only the schema's own keys are read;
 * empty strings count as unset (so `.default()` applies to `FOO=` lines). On failure throws a
 * ConfigError listing every bad variable: "missing" when unset, "malformed (...)" otherwise.
 */
export function loadConfig<S extends z.ZodObject>(schema: S, env: Env = process.env): z.output<S> {
  const input: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) {
    const value = env[key];
    if (value !== undefined && value !== '') input[key] = value;
  }
  const result = schema.safeParse(input);
  if (result.success) return result.data;

  const reasons = new Map<string, string[]>();
  for (const issue of result.error.issues) {
    const variable = issue.path.length > 0 ? String(issue.path[0]) : '(config)';
    const reason = input[variable] === undefined ? 'missing' : `malformed (${issue.message})`;
    const list = reasons.get(variable) ?? [];
    if (!list.includes(reason)) list.push(reason);
    reasons.set(variable, list);
  }
  const problems: ConfigProblem[] = [...reasons.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([variable, list]) => ({ variable, reason: list.join('; ') }));
  throw new ConfigError(problems);
}
