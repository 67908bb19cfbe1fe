// Reads rendered NetworkPolicies and Ingresses the way the cluster would: which sources may open
// a connection to a pod's port, and which backend ingress-nginx picks for a request path.
import type { K8sObject } from './chart-tools';

type Labels = Record<string, string>;
interface LabelSelector { matchLabels?: Labels; matchExpressions?: unknown[] }
interface Peer { podSelector?: LabelSelector; namespaceSelector?: LabelSelector; ipBlock?: { cidr: string } }
interface PolicyPort { port?: number | string; endPort?: number }
interface IngressRule { from?: Peer[]; ports?: PolicyPort[] }

/** Pod template labels of each service's Deployment, keyed by service (component) name. */
export function podLabelsByService(deployments: K8sObject[], release: string): Map<string, Labels> {
  return new Map(deployments.map((d) => [d.metadata.name.replace(`${release}-`, ''), d.spec.template.metadata.labels as Labels]));
}

function selects(selector: LabelSelector | undefined, labels: Labels): boolean {
  if (!selector) return true;
  // The chart uses matchLabels only; an expression would need real evaluation, so refuse it.
  if (selector.matchExpressions?.length) throw new Error('matchExpressions are not analysed');
  return Object.entries(selector.matchLabels ?? {}).every(([key, value]) => labels[key] === value);
}

function covers(ports: PolicyPort[] | undefined, port: { number: number; name: string }): boolean {
  if (!ports || ports.length === 0) return true;
  return ports.some((p) =>
    p.port === undefined || p.port === port.name || p.port === port.number
    || (typeof p.port === 'number' && p.endPort !== undefined && p.port <= port.number && port.number <= p.endPort));
}

/**
 * Every source allowed to reach `target`'s port by the policies that select it: service names
 * for pods of this release, `namespace:<selector> pods:<selector>` for peers in other namespaces,
 * `ipBlock:<cidr>`, `<any pod in the namespace>` for a same-namespace selector matching no
 * release pod, and `<anyone>` for a rule without sources. `<not isolated>` when no policy applies.
 */
export function reachableFrom(policies: K8sObject[], pods: Map<string, Labels>, target: string, port: { number: number; name: string }): Set<string> {
  const targetLabels = pods.get(target);
  if (!targetLabels) throw new Error(`no Deployment for ${target}`);
  const applying = policies.filter((p) => selects(p.spec.podSelector, targetLabels) && (p.spec.policyTypes ?? ['Ingress']).includes('Ingress'));
  if (applying.length === 0) return new Set(['<not isolated>']);
  const sources = new Set<string>();
  for (const policy of applying) {
    for (const rule of (policy.spec.ingress ?? []) as IngressRule[]) {
      if (!covers(rule.ports, port)) continue;
      if (!rule.from || rule.from.length === 0) sources.add('<anyone>');
      for (const peer of rule.from ?? []) {
        if (peer.ipBlock) sources.add(`ipBlock:${peer.ipBlock.cidr}`);
        else if (peer.namespaceSelector) sources.add(`namespace:${JSON.stringify(peer.namespaceSelector)} pods:${JSON.stringify(peer.podSelector ?? {})}`);
        else {
          const matched = [...pods].filter(([, labels]) => selects(peer.podSelector, labels)).map(([service]) => service);
          matched.forEach((service) => sources.add(service));
          // A selector without the release's instance label may also match pods of other apps.
          if (!peer.podSelector?.matchLabels?.['app.kubernetes.io/instance']) sources.add('<any pod in the namespace>');
        }
      }
    }
  }
  return sources;
}

/**
 * The Service that ingress-nginx sends `path` to: with use-regex, a host's paths become
 * case-insensitive regex locations anchored at the start, tried longest path first.
 */
export function ingressRoute(ingresses: K8sObject[], path: string): string | undefined {
  const routes = ingresses.flatMap((ingress) =>
    (ingress.spec.rules as Array<{ http: { paths: Array<{ path: string; backend: { service: { name: string } } }> } }>)
      .flatMap((rule) => rule.http.paths.map((p) => ({ path: p.path, service: p.backend.service.name }))));
  routes.sort((a, b) => b.path.length - a.path.length);
  return routes.find((route) => new RegExp(`^${route.path}`, 'i').test(path))?.service;
}
