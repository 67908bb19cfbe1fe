// Runs helm, kubernetes-validate and YAML parsing for the chart tests, using the tools that
// scripts/tools.sh installs under .enclave/ (helm built from the Go module proxy; a venv with
// kubernetes-validate, which ships the Kubernetes schemas, and PyYAML).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '../../..');
export const CHART = join(ROOT, 'charts', 'enclave');
export const KUBE_VERSION = '1.33.0';
export const RELEASE = 'enclave';
export const NAMESPACE = 'enclave';

const ENCLAVE_HOME = process.env.ENCLAVE_HOME ?? join(ROOT, '.enclave');
const HELM = join(ENCLAVE_HOME, 'bin', 'helm');
const VALIDATE = join(ENCLAVE_HOME, 'venv', 'bin', 'kubernetes-validate');
const PYTHON = join(ENCLAVE_HOME, 'venv', 'bin', 'python');

// Rendered Kubernetes objects are free-form JSON: fields below metadata stay untyped.
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels: Record<string, string>; annotations: Record<string, string> };
  [field: string]: any;
}
export type PodSpec = Record<string, any>;

export function requireTools(): void {
  const missing = [HELM, VALIDATE, PYTHON].filter((path) => !existsSync(path));
  if (missing.length > 0) {
    throw new Error(`missing ${missing.join(', ')}: run \`bash scripts/tools.sh\` to install helm and kubernetes-validate`);
  }
}

function run(command: string, args: string[], input?: string) {
  const result = spawnSync(command, args, { encoding: 'utf8', input, maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

export function helm(args: string[]): string {
  const result = run(HELM, args);
  if (result.status !== 0) throw new Error(`helm ${args.join(' ')} failed:\n${result.stderr}`);
  return result.stdout;
}

function templateArgs(valuesFiles: string[], sets: string[]): string[] {
  return [
    'template', RELEASE, CHART, '--namespace', NAMESPACE, '--kube-version', KUBE_VERSION,
    ...valuesFiles.flatMap((file) => ['-f', file]),
    ...sets.flatMap((set) => ['--set', set]),
  ];
}

/** `helm template` output (a YAML stream) for these values files and --set overrides. */
export function render(valuesFiles: string[], sets: string[] = []): string {
  return helm(templateArgs(valuesFiles, sets));
}

/** The error helm prints when rendering must fail; throws when it renders. */
export function renderFailure(valuesFiles: string[], sets: string[] = []): string {
  const result = run(HELM, templateArgs(valuesFiles, sets));
  if (result.status === 0) throw new Error(`expected helm template to fail with ${sets.join(' ')}`);
  return result.stderr;
}

/** Every non-empty document of a YAML stream, parsed by PyYAML and handed over as JSON. */
export function parseYaml(text: string): unknown[] {
  const script = 'import json, sys, yaml; json.dump([d for d in yaml.safe_load_all(sys.stdin) if d is not None], sys.stdout)';
  const result = run(PYTHON, ['-c', script], text);
  if (result.status !== 0) throw new Error(`YAML did not parse:\n${result.stderr}`);
  return JSON.parse(result.stdout) as unknown[];
}

export function loadYamlFile(path: string): Record<string, unknown> {
  const [document] = parseYaml(readFileSync(path, 'utf8'));
  return document as Record<string, unknown>;
}

/**
 * kubernetes-validate --strict against the schemas it ships (no network). `problems` lists every
 * error and every object it had no schema for; `passed` counts the objects that validated.
 */
export function validateStrict(yaml: string): { passed: number; problems: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'enclave-validate-'));
  try {
    const file = join(dir, 'objects.yaml');
    writeFileSync(file, yaml);
    const result = run(VALIDATE, ['-k', KUBE_VERSION, '--strict', file]);
    const lines = `${result.stdout}\n${result.stderr}`.split('\n').filter(Boolean);
    const problems = lines.filter((line) => !/^INFO .* passed for resource /.test(line));
    if (result.status !== 0 && problems.length === 0) problems.push(`kubernetes-validate exited ${result.status}`);
    return { passed: lines.length - problems.length, problems };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Paths where `expected` is not repeated in `actual` (objects compared key by key, lists whole). */
export function deepSubsetMismatches(expected: unknown, actual: unknown, path = ''): string[] {
  if (expected !== null && typeof expected === 'object' && !Array.isArray(expected)) {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return [`${path || '.'}: not an object`];
    return Object.entries(expected).flatMap(([key, value]) =>
      deepSubsetMismatches(value, (actual as Record<string, unknown>)[key], `${path}.${key}`));
  }
  return JSON.stringify(expected) === JSON.stringify(actual) ? [] : [`${path}: ${JSON.stringify(actual)} instead of ${JSON.stringify(expected)}`];
}
