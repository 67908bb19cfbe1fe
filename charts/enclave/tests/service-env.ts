// What each service needs from its environment at boot, read from its own src/config.ts, and
// what a rendered Deployment actually gives its container: so the chart tests notice a service
// gaining a required variable the chart does not render (the pod would exit 78 at boot).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { K8sObject } from './chart-tools';

export interface ServiceEnvNeeds {
  /** Schema keys that are neither `.optional()` nor `.default(...)`. */
  required: string[];
  /** Required only while the named switch is not `false` (the config's superRefine / conditional checks). */
  requiredUnless: Array<{ variable: string; switch: string }>;
}

const KEY_LINE = /^\s+([A-Z][A-Z0-9_]*):\s/;
const OBJECT_END = /^\s*\}\)/;

/**
 * Reads a service's config.ts. Schema entries are the `NAME: <zod chain>,` lines inside
 * `z.object({...})` / `.extend({...})`; an entry may continue over several lines (a multi-line
 * chain), up to the next entry or the object's closing `})`. Conditional requirements are the
 * `required unless X=false` checks the configs share.
 */
export function serviceEnvNeeds(root: string, service: string): ServiceEnvNeeds {
  const text = readFileSync(join(root, 'services', service, 'src', 'config.ts'), 'utf8');
  const entries = new Map<string, string>();
  let current: string | undefined;
  for (const line of text.split('\n')) {
    const key = KEY_LINE.exec(line);
    if (key) {
      current = key[1]!;
      entries.set(current, line);
    } else if (OBJECT_END.test(line)) {
      current = undefined;
    } else if (current) {
      entries.set(current, `${entries.get(current)}\n${line}`);
    }
  }
  const required = [...entries]
    .filter(([, chain]) => !chain.includes('.optional()') && !chain.includes('.default('))
    .map(([name]) => name);
  const requiredUnless = [...text.matchAll(/['"]([A-Z][A-Z0-9_]*)['"]\]?,?[^\n]*required unless ([A-Z][A-Z0-9_]*)=false/g)]
    .map((m) => ({ variable: m[1]!, switch: m[2]! }));
  return { required, requiredUnless };
}

export interface ContainerEnv {
  /** Variable name → its literal value (from env or the referenced ConfigMap) or `secret`/`optional-secret`. */
  values: Map<string, string | { secret: string; key: string; optional: boolean }>;
  /** envFrom sources the rendered objects do not contain (e.g. an existing Secret). */
  unresolved: string[];
}

/** The environment the first container of a Deployment receives, resolved against the rendered objects. */
export function containerEnv(deployment: K8sObject, objects: K8sObject[]): ContainerEnv {
  const container = deployment.spec.template.spec.containers[0];
  const values: ContainerEnv['values'] = new Map();
  const unresolved: string[] = [];
  for (const source of (container.envFrom ?? []) as Array<{ configMapRef?: { name: string }; secretRef?: { name: string } }>) {
    const [kind, name] = source.configMapRef ? ['ConfigMap', source.configMapRef.name] : ['Secret', source.secretRef!.name];
    const object = objects.find((o) => o.kind === kind && o.metadata.name === name);
    if (!object) {
      unresolved.push(`${kind}/${name}`);
      continue;
    }
    for (const [key, value] of Object.entries((object.data ?? {}) as Record<string, string>)) {
      values.set(key, kind === 'Secret' ? { secret: name, key, optional: false } : value);
    }
  }
  for (const entry of (container.env ?? []) as Array<{ name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string; optional?: boolean } } }>) {
    const ref = entry.valueFrom?.secretKeyRef;
    values.set(entry.name, ref ? { secret: ref.name, key: ref.key, optional: ref.optional === true } : entry.value ?? '');
  }
  return { values, unresolved };
}
