// Does the Helm chart lint, render for Kubernetes 1.33 and validate strictly (offline) for both value sets, with the security, probe, scaling, network, routing and rollout guarantees the platform relies on?
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CHART,
  deepSubsetMismatches,
  helm,
  K8sObject,
  KUBE_VERSION,
  loadYamlFile,
  NAMESPACE,
  parseYaml,
  PodSpec,
  RELEASE,
  render,
  renderFailure,
  requireTools,
  ROOT,
  validateStrict,
} from './chart-tools';
import { ingressRoute, podLabelsByService, reachableFrom } from './policy-analysis';
import { containerEnv, serviceEnvNeeds } from './service-env';

const SERVICES = ['tenant', 'auth', 'key-vault', 'chat-gateway', 'billing', 'audit'] as const;
// key-vault: chat-gateway fetches provider keys (CredentialService), auth tenant secrets (TenantSecretService).
// audit calls every data-holding service's SubjectDataService (access exports) and key-vault's SubjectKeyService.
const GRPC_CALLERS: Record<string, string[]> = {
  tenant: ['audit', 'auth', 'chat-gateway'],
  auth: ['audit', 'tenant'],
  'key-vault': ['audit', 'auth', 'chat-gateway'],
  'chat-gateway': ['audit'],
  billing: ['audit'],
};
const HTTP_PORTS: Record<string, number> = { tenant: 7101, auth: 7102, 'key-vault': 7103, 'chat-gateway': 7104, billing: 7105, audit: 7106 };
const GRPC_PORTS: Record<string, number> = { tenant: 7201, auth: 7202, 'key-vault': 7203, 'chat-gateway': 7204, billing: 7205 };
const fullName = (service: string) => `${RELEASE}-${service}`;

const byKind = (objects: K8sObject[], kind: string) => objects.filter((o) => o.kind === kind);
const named = (objects: K8sObject[], kind: string, name: string): K8sObject => {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} rendered`);
  return found;
};
const podSpec = (deployment: K8sObject): PodSpec => deployment.spec.template.spec;
interface SecretRef { name: string; key: string; optional?: boolean }
const secretRefs = (deployment: K8sObject): SecretRef[] =>
  (podSpec(deployment).containers[0].env as Array<{ valueFrom?: { secretKeyRef?: SecretRef } }>)
    .flatMap((e) => (e.valueFrom?.secretKeyRef ? [e.valueFrom.secretKeyRef] : []));

beforeAll(() => requireTools());

describe.each([
  { profile: 'shared', ciValues: 'ci/shared-values.yaml', profileValues: 'values-shared.yaml' },
  { profile: 'dedicated', ciValues: 'ci/dedicated-values.yaml', profileValues: 'values-dedicated.yaml' },
])('$profile values', ({ profile, ciValues, profileValues }) => {
  const valuesFile = join(CHART, ciValues);
  let rendered: string;
  let objects: K8sObject[];
  let deployments: K8sObject[];

  beforeAll(() => {
    rendered = render([valuesFile]);
    objects = parseYaml(rendered) as K8sObject[];
    deployments = byKind(objects, 'Deployment');
  });

  test('helm lint --strict passes', () => {
    const out = helm(['lint', '--strict', CHART, '--kube-version', KUBE_VERSION, '-f', valuesFile]);
    expect(out).toContain('1 chart(s) linted, 0 chart(s) failed');
  });

  test('every rendered object validates strictly against the Kubernetes 1.33 schemas', () => {
    const result = validateStrict(rendered);
    expect(result.problems).toEqual([]);
    expect(result.passed).toBe(objects.length);
  });

  test(`the CI values repeat ${profileValues} exactly (plus site settings)`, () => {
    const profileSettings = loadYamlFile(join(CHART, profileValues));
    expect(deepSubsetMismatches(profileSettings, loadYamlFile(valuesFile))).toEqual([]);
  });

  test('each service gets a Deployment, Service, ServiceAccount, ConfigMap, PodDisruptionBudget and NetworkPolicy', () => {
    for (const kind of ['Deployment', 'Service', 'ServiceAccount', 'ConfigMap', 'PodDisruptionBudget', 'NetworkPolicy']) {
      const names = byKind(objects, kind).map((o) => o.metadata.name);
      expect(names).toEqual(expect.arrayContaining(SERVICES.map(fullName)));
    }
    for (const sa of byKind(objects, 'ServiceAccount')) expect(sa.automountServiceAccountToken).toBe(false);
    for (const service of SERVICES) {
      const ports = named(objects, 'Service', fullName(service)).spec.ports.map((p: { name: string; port: number }) => `${p.name}:${p.port}`);
      const expected = [`http:${HTTP_PORTS[service]}`, ...(GRPC_PORTS[service] ? [`grpc:${GRPC_PORTS[service]}`] : [])];
      expect(ports).toEqual(expected);
    }
  });

  test('every container runs as uid 10001, non-root, read-only root filesystem, no privilege escalation, no capabilities, RuntimeDefault seccomp', () => {
    expect(deployments).toHaveLength(SERVICES.length);
    for (const deployment of deployments) {
      const spec = podSpec(deployment);
      expect(spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } });
      for (const container of spec.containers) {
        const sc = container.securityContext;
        expect({ name: container.name, ...sc }).toMatchObject({
          name: container.name,
          runAsNonRoot: true,
          runAsUser: 10001,
          readOnlyRootFilesystem: true,
          allowPrivilegeEscalation: false,
          seccompProfile: { type: 'RuntimeDefault' },
        });
        expect(sc.capabilities.drop).toEqual(['ALL']);
        expect(sc.capabilities.add ?? []).toEqual([]);
      }
    }
  });

  test('every container has startup, liveness (/healthz) and readiness (/readyz) probes on its HTTP port and cpu/memory requests and limits', () => {
    for (const deployment of deployments) {
      for (const container of podSpec(deployment).containers) {
        expect(container.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
        expect(container.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
        expect(container.startupProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
        expect(container.ports.find((p: { name: string }) => p.name === 'http').containerPort).toBe(HTTP_PORTS[container.name]);
        for (const bound of ['requests', 'limits']) {
          expect(Object.keys(container.resources[bound]).sort()).toEqual(['cpu', 'memory']);
        }
      }
    }
  });

  test('pods get a writable /tmp, no API token, no service links, and config checksum annotations', () => {
    for (const deployment of deployments) {
      const spec = podSpec(deployment);
      expect(spec.automountServiceAccountToken).toBe(false);
      expect(spec.enableServiceLinks).toBe(false);
      expect(spec.volumes.find((v: { name: string }) => v.name === 'tmp').emptyDir).toBeDefined();
      expect(spec.containers[0].volumeMounts).toContainEqual({ name: 'tmp', mountPath: '/tmp' });
      expect(deployment.spec.template.metadata.annotations['checksum/config']).toMatch(/^[0-9a-f]{64}$/);
    }
    const grace = (s: string) => podSpec(named(objects, 'Deployment', fullName(s))).terminationGracePeriodSeconds;
    expect(grace('chat-gateway')).toBeGreaterThan(grace('tenant'));
  });

  test('gRPC ports are reachable only from their callers: key-vault from chat-gateway, auth and audit, tenant from chat-gateway, auth and audit, auth from tenant and audit, chat-gateway and billing from audit', () => {
    const pods = podLabelsByService(deployments, RELEASE);
    const policies = byKind(objects, 'NetworkPolicy');
    for (const [server, callers] of Object.entries(GRPC_CALLERS)) {
      const sources = reachableFrom(policies, pods, server, { number: GRPC_PORTS[server]!, name: 'grpc' });
      expect({ server, sources: [...sources].sort() }).toEqual({ server, sources: [...callers].sort() });
    }
  });

  test('public HTTP ports are reachable only from the ingress controller (auth also from this release, which fetches its JWKS)', () => {
    const pods = podLabelsByService(deployments, RELEASE);
    const policies = byKind(objects, 'NetworkPolicy');
    const ingressController = 'namespace:{"matchLabels":{"kubernetes.io/metadata.name":"ingress-nginx"}} pods:{"matchLabels":{"app.kubernetes.io/name":"ingress-nginx"}}';
    for (const service of SERVICES) {
      const sources = [...reachableFrom(policies, pods, service, { number: HTTP_PORTS[service]!, name: 'http' })].sort();
      const expected = service === 'auth' ? [ingressController, ...SERVICES].sort() : [ingressController];
      expect({ service, sources }).toEqual({ service, sources: expected });
    }
    const denyAll = policies.filter((p) => Object.keys(p.spec.podSelector).length === 0);
    expect(denyAll).toHaveLength(1);
    expect(denyAll[0]!.spec.policyTypes).toEqual(['Ingress']);
    expect(denyAll[0]!.spec.ingress ?? []).toEqual([]);
  });

  test('the ingress routes each API prefix to its service the way ingress-nginx orders regex paths', () => {
    const ingresses = byKind(objects, 'Ingress');
    for (const ingress of ingresses) {
      expect(ingress.metadata.annotations['nginx.ingress.kubernetes.io/use-regex']).toBe('true');
      for (const rule of ingress.spec.rules) {
        for (const path of rule.http.paths) expect(path.pathType).toBe('ImplementationSpecific');
      }
    }
    expect(named(objects, 'Ingress', fullName('chat-gateway')).metadata.annotations['nginx.ingress.kubernetes.io/proxy-buffering']).toBe('off');
    const expectations: Array<[string, string]> = [
      ['/v1/auth/login-links', 'auth'],
      ['/v1/auth/jwks', 'auth'],
      ['/v1/instances', 'tenant'],
      ['/v1/tenants/t-1', 'tenant'],
      ['/v1/tenants/t-1/members/s-9', 'tenant'],
      ['/v1/tenants/t-1/settings', 'tenant'],
      ['/v1/tenants/t-1/provider-keys', 'key-vault'],
      ['/v1/tenants/t-1/usage', 'billing'],
      ['/v1/tenants/t-1/quota', 'billing'],
      ['/v1/tenants/t-1/audit/verify', 'audit'],
      ['/v1/chat/completions', 'chat-gateway'],
      ['/v1/conversations/c-1/messages', 'chat-gateway'],
      ['/v1/models', 'chat-gateway'],
      ['/v1/tenants/t-1/virtual-keys', 'chat-gateway'],
      ['/v1/tenants/t-1/members/s-9/conversations', 'chat-gateway'],
      ['/v1/tenants/t-1/members/s-9/conversations/c-1/messages', 'chat-gateway'],
      ['/v1/tenants/t-1/secrets/smtp', 'key-vault'],
      ['/v1/auth/accounts/me', 'auth'],
      ['/v1/tenants/t-1/accounts/s-9', 'auth'],
      ['/v1/tenants/t-1/privacy/requests', 'audit'],
      ['/v1/audit/public-key', 'audit'],
    ];
    for (const [url, service] of expectations) expect({ url, backend: ingressRoute(ingresses, url) }).toEqual({ url, backend: fullName(service) });
    expect(ingressRoute(ingresses, '/healthz')).toBeUndefined();
  });

  test('each service is configured with its peers, its trusted callers and its own database', () => {
    const env = (s: string) => named(objects, 'ConfigMap', fullName(s)).data as Record<string, string>;
    const grpcHost = (s: string) => `${fullName(s)}.${NAMESPACE}.svc.cluster.local:${GRPC_PORTS[s]}`;
    expect(env('chat-gateway')).toMatchObject({ KEY_VAULT_GRPC_ADDR: grpcHost('key-vault'), TENANT_GRPC_ADDR: grpcHost('tenant') });
    expect(env('auth')).toMatchObject({ TENANT_GRPC_ADDR: grpcHost('tenant'), KEY_VAULT_GRPC_ADDR: grpcHost('key-vault') });
    expect(env('tenant')).toMatchObject({ AUTH_GRPC_ADDR: grpcHost('auth') });
    // What key-vault accepts as a provider base URL, chat-gateway's egress client may reach, and no more.
    expect(env('chat-gateway').ALLOW_PRIVATE_BASE_URLS).toBe('false');
    expect(env('chat-gateway').ALLOW_PRIVATE_BASE_URLS).toBe(env('key-vault').ALLOW_PRIVATE_BASE_URLS);
    expect(env('billing').KEY_VAULT_GRPC_ADDR).toBeUndefined();
    expect(env('audit')).toMatchObject({
      AUTH_GRPC_ADDR: grpcHost('auth'),
      TENANT_GRPC_ADDR: grpcHost('tenant'),
      KEY_VAULT_GRPC_ADDR: grpcHost('key-vault'),
      CHAT_GATEWAY_GRPC_ADDR: grpcHost('chat-gateway'),
      BILLING_GRPC_ADDR: grpcHost('billing'),
    });
    for (const [server, callers] of Object.entries(GRPC_CALLERS)) {
      expect(Object.keys(JSON.parse(env(server).SERVICE_PUBLIC_KEYS!)).sort()).toEqual([...callers].sort());
    }
    const prefix = profile === 'dedicated' ? 'acme_' : 'enclave_';
    for (const service of SERVICES) {
      expect(env(service)).toMatchObject({
        HTTP_HOST: '0.0.0.0',
        HTTP_PORT: String(HTTP_PORTS[service]),
        MONGO_DB: `${prefix}${service.replace('-', '_')}`,
        AUTH_JWKS_URL: `http://${fullName('auth')}.${NAMESPACE}.svc.cluster.local:7102/v1/auth/jwks`,
      });
    }
    const keyVault = podSpec(named(objects, 'Deployment', fullName('key-vault')));
    expect(keyVault.volumes.find((v: { name: string }) => v.name === 'kek').secret.items).toEqual([{ key: 'kek.json', path: 'kek.json' }]);
    expect(env('key-vault').KEK_FILE).toBe('/var/run/secrets/enclave/kek/kek.json');
    expect(env('key-vault')).toMatchObject({
      KEK_PROVIDER: 'local',
      ROTATION_GRACE_MS: '86400000',
      RETIREMENT_SWEEP_INTERVAL_MS: '60000',
      PROVIDER_TEST_TIMEOUT_MS: '5000',
    });
    expect(env('audit').CHECKPOINT_INTERVAL_MS).toBe('60000');

    // Existing Secrets: audit's checkpoint key is required, key-vault's operator token optional.
    const secretPrefix = profile === 'dedicated' ? 'acme' : 'enclave';
    const refsOf = (s: string) => Object.fromEntries(secretRefs(named(objects, 'Deployment', fullName(s))).map((r) => [r.key, r]));
    expect(refsOf('audit').CHECKPOINT_SIGNING_KEY).toEqual({ name: `${secretPrefix}-audit-secrets`, key: 'CHECKPOINT_SIGNING_KEY' });
    expect(refsOf('key-vault').OPERATOR_TOKEN).toEqual({ name: `${secretPrefix}-key-vault-secrets`, key: 'OPERATOR_TOKEN', optional: true });
    expect(refsOf('key-vault').FINGERPRINT_KEY!.optional).toBeUndefined();
    expect(refsOf('billing').OPERATOR_TOKEN!.optional).toBeUndefined();
    expect(refsOf('chat-gateway').VIRTUAL_KEY_PEPPER).toEqual({ name: `${secretPrefix}-chat-gateway-secrets`, key: 'VIRTUAL_KEY_PEPPER' });
  });

  test("every service's container gets each variable its src/config.ts requires (a missing one exits 78 at boot)", () => {
    for (const service of SERVICES) {
      const needs = serviceEnvNeeds(ROOT, service);
      const { values, unresolved } = containerEnv(named(objects, 'Deployment', fullName(service)), objects);
      expect({ service, unresolved }).toEqual({ service, unresolved: [] });
      const required = [
        ...needs.required,
        ...needs.requiredUnless.filter((r) => values.get(r.switch) !== 'false').map((r) => r.variable),
        // key-vault's KEK keyring (kek-keyring.ts, outside the schema) needs KEK_KEYS or KEK_FILE.
        ...(service === 'key-vault' ? [values.has('KEK_KEYS') ? 'KEK_KEYS' : 'KEK_FILE'] : []),
      ];
      const missing = required.filter((name) => {
        const value = values.get(name);
        return value === undefined || value === '' || (typeof value === 'object' && value.optional);
      });
      expect({ service, missing }).toEqual({ service, missing: [] });
    }
    // The reader really finds the schemas: a few variables each service is known to require.
    const known: Record<string, string[]> = {
      tenant: ['MONGO_URL', 'REDIS_URL', 'SERVICE_PRIVATE_KEY', 'AUTH_JWKS_URL', 'AUTH_GRPC_ADDR', 'SIGN_UP_HASH_KEY'],
      auth: ['MONGO_URL', 'REDIS_URL', 'SESSION_SIGNING_KEY', 'EMAIL_HASH_KEY', 'IP_HASH_KEY', 'PUBLIC_BASE_URL', 'MAIL_FROM', 'SMTP_HOST', 'SMTP_PORT'],
      'key-vault': ['MONGO_URL', 'AUTH_JWKS_URL', 'FINGERPRINT_KEY'],
      'chat-gateway': ['MONGO_URL', 'REDIS_URL', 'SERVICE_PRIVATE_KEY', 'TENANT_GRPC_ADDR', 'KEY_VAULT_GRPC_ADDR'],
      billing: ['MONGO_URL', 'REDIS_URL', 'AUTH_JWKS_URL', 'OPERATOR_TOKEN'],
      audit: ['MONGO_URL', 'AUTH_JWKS_URL', 'CHECKPOINT_SIGNING_KEY'],
    };
    for (const service of SERVICES) {
      const needs = serviceEnvNeeds(ROOT, service);
      expect({ service, required: needs.required }).toEqual({ service, required: expect.arrayContaining(known[service]!) });
      expect(needs.required).not.toContain('LOG_LEVEL');
      expect(needs.requiredUnless).toContainEqual({ variable: 'KAFKA_BROKERS', switch: 'KAFKA_ENABLED' });
    }
    expect(serviceEnvNeeds(ROOT, 'chat-gateway').required).not.toContain('VIRTUAL_KEY_PEPPER');
  });

  if (profile === 'shared') {
    test('chat-gateway scales by an autoscaling/v2 HPA on CPU that targets its Deployment; the rest run fixed replicas', () => {
      const hpas = byKind(objects, 'HorizontalPodAutoscaler');
      expect(hpas).toHaveLength(1);
      const hpa = hpas[0]!;
      expect(hpa.apiVersion).toBe('autoscaling/v2');
      expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: fullName('chat-gateway') });
      expect(hpa.spec.metrics[0].resource.name).toBe('cpu');
      expect(hpa.spec.minReplicas).toBeLessThanOrEqual(hpa.spec.maxReplicas);
      expect(named(objects, 'Deployment', fullName('chat-gateway')).spec.replicas).toBeUndefined();
      for (const service of SERVICES.filter((s) => s !== 'chat-gateway')) {
        expect(named(objects, 'Deployment', fullName(service)).spec.replicas).toBe(2);
      }
      expect(byKind(objects, 'Secret')).toEqual([]);
    });
  } else {
    test('the dedicated release is pinned to its node pool, labelled with its tenant, and restricts egress', () => {
      expect(byKind(objects, 'HorizontalPodAutoscaler')).toEqual([]);
      for (const object of objects) expect({ name: object.metadata.name, tenant: object.metadata.labels['enclave.io/tenant'] }).toEqual({ name: object.metadata.name, tenant: 'acme' });
      for (const deployment of deployments) {
        const spec = podSpec(deployment);
        expect(spec.nodeSelector).toEqual({ 'enclave.io/pool': 'dedicated' });
        expect(spec.tolerations).toEqual([{ key: 'enclave.io/pool', operator: 'Equal', value: 'dedicated', effect: 'NoSchedule' }]);
      }
      for (const policy of byKind(objects, 'NetworkPolicy').filter((p) => Object.keys(p.spec.podSelector).length > 0)) {
        expect(policy.spec.policyTypes).toEqual(['Ingress', 'Egress']);
        expect(policy.spec.egress[0].ports).toEqual([{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }]);
      }
    });
  }
});

describe('values changes and inline secrets', () => {
  const shared = join(CHART, 'ci/shared-values.yaml');
  const checksums = (objects: K8sObject[]) =>
    Object.fromEntries(byKind(objects, 'Deployment').map((d) => [d.metadata.name, d.spec.template.metadata.annotations['checksum/config']]));

  test('a configuration change rolls the pods of the changed service only', () => {
    const before = checksums(parseYaml(render([shared])) as K8sObject[]);
    const after = checksums(parseYaml(render([shared], ['services.tenant.config.defaultModel=gpt-4.1'])) as K8sObject[]);
    for (const service of SERVICES) {
      if (service === 'tenant') expect(after[fullName(service)]).not.toBe(before[fullName(service)]);
      else expect(after[fullName(service)]).toBe(before[fullName(service)]);
    }
  });

  test('secrets given as values become chart Secrets that the pods read, validate strictly, and roll the pods when they change', () => {
    const dir = mkdtempSync(join(tmpdir(), 'enclave-chart-'));
    try {
      const identity = () => generateKeyPairSync('ed25519');
      const der = (k: ReturnType<typeof identity>) => ({
        privateKey: k.privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64'),
        publicKey: k.publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
      });
      const keys = { tenant: der(identity()), auth: der(identity()), 'chat-gateway': der(identity()), audit: der(identity()) };
      const kek = JSON.stringify({ 1: randomBytes(32).toString('base64') });
      const values = {
        externalMongo: { url: 'mongodb://mongo.data.svc:27017/' },
        externalKafka: { brokers: 'kafka-0.data.svc:9092,kafka-1.data.svc:9092' },
        externalRedis: { url: 'redis://redis.data.svc:6379' },
        serviceIdentity: { publicKeys: Object.fromEntries(Object.entries(keys).map(([s, k]) => [s, k.publicKey])) },
        services: {
          tenant: { secret: { values: { SERVICE_PRIVATE_KEY: keys.tenant.privateKey, SIGN_UP_HASH_KEY: randomBytes(32).toString('base64') } } },
          auth: {
            config: { mailFrom: 'Enclave <login@chat.example.com>', smtp: { host: 'smtp.example.com' } },
            secret: {
              values: {
                SERVICE_PRIVATE_KEY: keys.auth.privateKey,
                SESSION_SIGNING_KEY: der(identity()).privateKey,
                EMAIL_HASH_KEY: randomBytes(32).toString('base64'),
                IP_HASH_KEY: randomBytes(32).toString('base64'),
              },
            },
          },
          'key-vault': { secret: { values: { FINGERPRINT_KEY: randomBytes(32).toString('base64'), 'kek.json': kek } } },
          'chat-gateway': { secret: { values: { SERVICE_PRIVATE_KEY: keys['chat-gateway'].privateKey, VIRTUAL_KEY_PEPPER: randomBytes(32).toString('base64') } } },
          billing: { secret: { values: { OPERATOR_TOKEN: randomBytes(24).toString('base64url') } } },
          audit: { secret: { values: { CHECKPOINT_SIGNING_KEY: der(identity()).privateKey, SERVICE_PRIVATE_KEY: keys.audit.privateKey } } },
        },
      };
      const inline = join(dir, 'inline.yaml');
      writeFileSync(inline, JSON.stringify(values));
      const text = render([join(CHART, 'values-shared.yaml'), inline]);
      expect(validateStrict(text).problems).toEqual([]);
      const objects = parseYaml(text) as K8sObject[];
      const secrets = Object.fromEntries(byKind(objects, 'Secret').map((s) => [s.metadata.name, s.data as Record<string, string>]));
      const decode = (name: string, key: string) => Buffer.from(secrets[name]![key]!, 'base64').toString('utf8');
      expect(Object.keys(secrets).sort()).toEqual([`${RELEASE}-external`, ...['audit', 'auth', 'billing', 'chat-gateway', 'key-vault', 'tenant'].map(fullName)].sort());
      expect(decode(fullName('key-vault'), 'kek.json')).toBe(kek);
      expect(decode(`${RELEASE}-external`, 'kafka-brokers')).toBe(values.externalKafka.brokers);
      expect(decode(fullName('audit'), 'CHECKPOINT_SIGNING_KEY')).toBe(values.services.audit.secret.values.CHECKPOINT_SIGNING_KEY);
      // Optional keys left empty are neither in the chart-made Secret nor read by the pod.
      const refKeys = (objs: K8sObject[], s: string) => secretRefs(named(objs, 'Deployment', fullName(s))).map((r) => r.key);
      expect(secrets[fullName('auth')]!.SMTP_PASSWORD).toBeUndefined();
      expect(secrets[fullName('key-vault')]!.OPERATOR_TOKEN).toBeUndefined();
      expect(refKeys(objects, 'auth')).not.toContain('SMTP_PASSWORD');
      expect(refKeys(objects, 'key-vault')).toContain('FINGERPRINT_KEY');
      expect(refKeys(objects, 'key-vault')).not.toContain('OPERATOR_TOKEN');

      // Every secretKeyRef names a rendered Secret and key (optional ones may be absent).
      for (const deployment of byKind(objects, 'Deployment')) {
        for (const ref of secretRefs(deployment)) {
          if (!ref.optional) expect({ ref, present: secrets[ref.name]?.[ref.key] !== undefined }).toEqual({ ref, present: true });
        }
        expect(deployment.spec.template.metadata.annotations['checksum/external']).toMatch(/^[0-9a-f]{64}$/);
      }
      const secretChecksum = (objs: K8sObject[], s: string) => named(objs, 'Deployment', fullName(s)).spec.template.metadata.annotations['checksum/secret'];
      const rotated = parseYaml(render([join(CHART, 'values-shared.yaml'), inline], ['services.billing.secret.values.OPERATOR_TOKEN=rotated-operator-token-value'])) as K8sObject[];
      expect(secretChecksum(objects, 'billing')).toMatch(/^[0-9a-f]{64}$/);
      expect(secretChecksum(rotated, 'billing')).not.toBe(secretChecksum(objects, 'billing'));
      expect(secretChecksum(rotated, 'audit')).toBe(secretChecksum(objects, 'audit'));

      // Setting key-vault's operator token puts it in its Secret, the pod reads it, and the pods roll.
      const operatorToken = randomBytes(32).toString('base64url');
      const withToken = parseYaml(render([join(CHART, 'values-shared.yaml'), inline], [`services.key-vault.secret.values.OPERATOR_TOKEN=${operatorToken}`])) as K8sObject[];
      const keyVaultSecret = named(withToken, 'Secret', fullName('key-vault')).data as Record<string, string>;
      expect(Buffer.from(keyVaultSecret.OPERATOR_TOKEN!, 'base64').toString('utf8')).toBe(operatorToken);
      expect(secretRefs(named(withToken, 'Deployment', fullName('key-vault')))).toContainEqual({ name: fullName('key-vault'), key: 'OPERATOR_TOKEN', optional: true });
      expect(secretChecksum(withToken, 'key-vault')).not.toBe(secretChecksum(objects, 'key-vault'));

      // Sign-up: open and rate-limited by default; operator-only needs the tenant's operator token.
      const configOf = (objs: K8sObject[], s: string) => named(objs, 'ConfigMap', fullName(s)).data as Record<string, string>;
      expect(configOf(objects, 'tenant')).toMatchObject({ SIGN_UP_MODE: 'open', SIGN_UP_LIMIT_PER_IP: '10', SIGN_UP_LIMIT_PER_EMAIL: '3', SIGN_UP_LIMIT_WINDOW_MS: '3600000', TRUST_PROXY: 'true' });
      expect(refKeys(objects, 'tenant')).toEqual(expect.arrayContaining(['SERVICE_PRIVATE_KEY', 'SIGN_UP_HASH_KEY']));
      // Sessions: 5-minute access tokens within a 12-hour sign-in; an access token may not outlive the verifiers' revocation memory.
      expect(configOf(objects, 'auth')).toMatchObject({ ACCESS_TOKEN_TTL_MS: '300000', SESSION_TTL_MS: '43200000' });
      expect(renderFailure([join(CHART, 'values-shared.yaml'), inline], ['services.auth.config.accessTokenTtlMs=3600000'])).toMatch(/accessTokenTtlMs/);
      expect(refKeys(objects, 'tenant')).not.toContain('OPERATOR_TOKEN');
      expect(renderFailure([join(CHART, 'values-shared.yaml'), inline], ['services.tenant.config.signUp.mode=operator']))
        .toMatch(/services\.tenant\.config\.signUp\.mode operator needs services\.tenant\.secret\.values\.OPERATOR_TOKEN/);
      expect(renderFailure([join(CHART, 'values-shared.yaml'), inline], ['services.tenant.config.signUp.mode=operator', 'services.tenant.secret.values.OPERATOR_TOKEN=short']))
        .toMatch(/services\.tenant\.secret\.values\.OPERATOR_TOKEN must be empty or at least 32 characters/);
      const operatorOnly = parseYaml(render([join(CHART, 'values-shared.yaml'), inline], ['services.tenant.config.signUp.mode=operator', `services.tenant.secret.values.OPERATOR_TOKEN=${operatorToken}`])) as K8sObject[];
      expect(configOf(operatorOnly, 'tenant').SIGN_UP_MODE).toBe('operator');
      expect(secretRefs(named(operatorOnly, 'Deployment', fullName('tenant')))).toContainEqual({ name: fullName('tenant'), key: 'OPERATOR_TOKEN', optional: true });

      // audit's checkpoint signing key is required like every other non-optional secret value.
      const withoutCheckpointKey = { ...values, services: { ...values.services, audit: { secret: { values: { CHECKPOINT_SIGNING_KEY: '' } } } } };
      const incomplete = join(dir, 'incomplete.yaml');
      writeFileSync(incomplete, JSON.stringify(withoutCheckpointKey));
      expect(renderFailure([join(CHART, 'values-shared.yaml'), incomplete]))
        .toMatch(/services\.audit\.secret\.values\.CHECKPOINT_SIGNING_KEY is required \(or set services\.audit\.secret\.existingSecret\)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the values schema and checks reject typos and incomplete settings with a clear message', () => {
    expect(renderFailure([shared], ['services.tenant.replicaCoutn=3'])).toMatch(/replicaCoutn/);
    expect(renderFailure([shared], ['networkPolicy.egres.enabled=true'])).toMatch(/egres/);
    expect(renderFailure([shared], ['tenancy.mode=dedicated'])).toMatch(/tenancy\.tenantId is required/);
    expect(renderFailure([shared], ['externalMongo.existingSecret='])).toMatch(/externalMongo: the connection setting or externalMongo\.existingSecret is required/);
    const withoutPublicKeys = [join(CHART, 'values-shared.yaml'), join(ROOT, 'k8s/examples/values-site.yaml')];
    expect(renderFailure(withoutPublicKeys)).toMatch(/serviceIdentity\.publicKeys\.chat-gateway is required: chat-gateway is a gRPC caller of tenant/);
    expect(renderFailure([shared], ['services.key-vault.grpc.callers={chat-gateway,billing}'])).toMatch(/serviceIdentity\.publicKeys\.billing is required/);
    expect(renderFailure([shared], ['networkPolicy.egress.enabled=true'])).toMatch(/networkPolicy\.egress\.extraTo must allow/);
    expect(renderFailure([shared], ['services.audit.config.checkpointIntervalMs=-1'])).toMatch(/checkpointIntervalMs/);
    expect(renderFailure([shared], ['services.audit.secret.values.CHECKPIONT_SIGNING_KEY=x'])).toMatch(/CHECKPIONT_SIGNING_KEY/);
    const shortToken = 'too-short-for-an-operator-token';
    const tokenFailure = renderFailure([shared], [`services.key-vault.secret.values.OPERATOR_TOKEN=${shortToken}`]);
    expect(tokenFailure).toMatch(/services\.key-vault\.secret\.values\.OPERATOR_TOKEN must be empty or at least 32 characters/);
    expect(tokenFailure).not.toContain(shortToken);
    expect(renderFailure([shared], ['services.key-vault.config.kekProvider=aws-kms'])).toMatch(/kekProvider/);
  });
});

describe('documentation', () => {
  test('every value is documented (@param) in values.yaml, typed in values.schema.json and listed in the chart README', () => {
    const valuesText = readFileSync(join(CHART, 'values.yaml'), 'utf8');
    const readme = readFileSync(join(CHART, 'README.md'), 'utf8');
    const documented = [...valuesText.matchAll(/## @param (\S+)/g)].map((m) => m[1]!);
    expect(documented.length).toBeGreaterThan(50);
    const missing = documented.filter((param) => {
      const generic = param.replace(/^services\.[a-z-]+\./, 'services.<name>.');
      return !readme.includes(`\`${param}\``) && !readme.includes(`\`${generic}\``);
    });
    expect(missing).toEqual([]);

    // Every leaf of values.yaml lies under a documented @param and is known to the schema.
    const schema = JSON.parse(readFileSync(join(CHART, 'values.schema.json'), 'utf8'));
    const resolve = (node: Record<string, any>): Record<string, any> => (node.$ref ? schema.$defs[node.$ref.split('/').pop()] : node);
    const leaves = (value: unknown, path: string[]): string[][] =>
      value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length > 0
        ? Object.entries(value).flatMap(([key, child]) => leaves(child, [...path, key]))
        : [path];
    for (const path of leaves(loadYamlFile(join(CHART, 'values.yaml')), [])) {
      const dotted = path.join('.');
      expect({ dotted, documented: documented.some((param) => dotted === param || dotted.startsWith(`${param}.`)) }).toEqual({ dotted, documented: true });
      let node = schema as Record<string, any>;
      for (const key of path) {
        node = resolve(node);
        const next = node.properties?.[key] ?? (typeof node.additionalProperties === 'object' ? node.additionalProperties : undefined);
        expect({ dotted, key, typed: next !== undefined || node.additionalProperties === true || (node.type === 'object' && node.properties === undefined) }).toEqual({ dotted, key, typed: true });
        if (next === undefined) break;
        node = next;
      }
    }
  });
});

describe('cluster manifests, examples, skaffold and the image build', () => {
  test('k8s/ namespace and baseline policies validate strictly; the namespace enforces the restricted Pod Security Standard', () => {
    for (const file of ['k8s/namespace.yaml', 'k8s/baseline-networkpolicies.yaml']) {
      expect({ file, ...validateStrict(readFileSync(join(ROOT, file), 'utf8')) }).toMatchObject({ file, problems: [] });
    }
    const [namespace] = parseYaml(readFileSync(join(ROOT, 'k8s/namespace.yaml'), 'utf8')) as K8sObject[];
    expect(namespace!.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
  });

  test('dev-secrets.mjs makes valid Secrets holding every key the example site values make the pods read', () => {
    const dir = mkdtempSync(join(tmpdir(), 'enclave-dev-secrets-'));
    try {
      const made = spawnSync(process.execPath, [join(ROOT, 'k8s/examples/dev-secrets.mjs'), '--mongo-url', 'mongodb://mongo.dev:27017/',
        '--kafka-brokers', 'kafka.dev:9092', '--redis-url', 'redis://redis.dev:6379', '--out', dir], { encoding: 'utf8' });
      expect(made.status).toBe(0);
      const secretsText = readFileSync(join(dir, 'secrets.yaml'), 'utf8');
      expect(made.stdout + made.stderr).not.toContain(secretsText.match(/SERVICE_PRIVATE_KEY": "([^"]+)"/)![1]);
      expect(validateStrict(secretsText).problems).toEqual([]);
      const secrets = Object.fromEntries((parseYaml(secretsText) as K8sObject[]).map((s) => [s.metadata.name, s.stringData as Record<string, string>]));

      const text = render([join(CHART, 'values-shared.yaml'), join(ROOT, 'k8s/examples/values-site.yaml'), join(dir, 'identity-values.yaml'), join(ROOT, 'k8s/examples/values-dev.yaml')]);
      expect(validateStrict(text).problems).toEqual([]);
      for (const deployment of byKind(parseYaml(text) as K8sObject[], 'Deployment')) {
        const spec = podSpec(deployment);
        const refs = secretRefs(deployment);
        for (const v of spec.volumes.filter((v: { secret?: unknown }) => v.secret)) refs.push({ name: v.secret.secretName, key: 'kek.json' });
        for (const ref of refs.filter((r) => !r.optional)) {
          expect({ ref, present: secrets[ref.name]?.[ref.key] !== undefined }).toEqual({ ref, present: true });
        }
      }

      // The External Secrets example makes the same Secrets with the same keys.
      const external = (parseYaml(readFileSync(join(ROOT, 'k8s/examples/external-secrets.yaml'), 'utf8')) as K8sObject[])
        .map((e) => [e.spec.target.name, e.spec.data.map((d: { secretKey: string }) => d.secretKey).sort()]);
      const generated = Object.entries(secrets).map(([name, data]) => [name, Object.keys(data).sort()]);
      const withOptional = generated.map(([name, keys]) => [name, name === 'enclave-auth-secrets' ? [...keys as string[], 'SMTP_PASSWORD'].sort() : keys]);
      expect(Object.fromEntries(external)).toEqual(Object.fromEntries(withOptional));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the dedicated example site values render and validate with the dedicated profile', () => {
    const text = render([join(CHART, 'values-dedicated.yaml'), join(ROOT, 'k8s/examples/values-site-dedicated.yaml'), join(CHART, 'ci/dedicated-values.yaml')]);
    expect(validateStrict(text).problems).toEqual([]);
  });

  test('skaffold.yaml builds all six images from services/Dockerfile and hands each to its chart values', () => {
    const config = loadYamlFile(join(ROOT, 'skaffold.yaml')) as K8sObject;
    expect(config.apiVersion).toMatch(/^skaffold\/v4beta\d+$/);
    const artifacts = config.build.artifacts as Array<{ image: string; docker: { dockerfile: string; buildArgs: { SERVICE: string } } }>;
    expect(artifacts.map((a) => a.docker.buildArgs.SERVICE)).toEqual([...SERVICES]);
    const release = config.deploy.helm.releases[0];
    expect(release.chartPath).toBe('charts/enclave');
    for (const artifact of artifacts) {
      expect(artifact.docker.dockerfile).toBe('services/Dockerfile');
      const service = artifact.docker.buildArgs.SERVICE;
      const templateName = artifact.image.replace(/[/-]/g, '_');
      expect(release.setValueTemplates[`services.${service}.image.repository`]).toBe(`{{.IMAGE_REPO_${templateName}}}`);
      expect(release.setValueTemplates[`services.${service}.image.tag`]).toBe(`{{.IMAGE_TAG_${templateName}}}`);
    }
    const committedFiles = (files: string[]) => files.filter((f) => !f.startsWith('.enclave/'));
    const dedicated = config.profiles.find((p: { name: string }) => p.name === 'dedicated');
    const valuesFiles = [...release.valuesFiles, ...dedicated.patches.flatMap((p: { value: unknown }) => (Array.isArray(p.value) ? p.value : [p.value]))]
      .filter((v: unknown): v is string => typeof v === 'string' && v.endsWith('.yaml'));
    for (const file of committedFiles(valuesFiles)) expect({ file, exists: existsSync(join(ROOT, file)) }).toEqual({ file, exists: true });
    expect(config.profiles.map((p: { name: string }) => p.name).sort()).toEqual(['dedicated', 'dev']);
  });

  test('services/Dockerfile copies every workspace manifest (npm ci needs them all) and runs as uid 10001', () => {
    const dockerfile = readFileSync(join(ROOT, 'services/Dockerfile'), 'utf8');
    const rootManifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { workspaces: string[] };
    const workspaces = rootManifest.workspaces.flatMap((pattern) => {
      if (!pattern.endsWith('/*')) return [pattern];
      const base = pattern.slice(0, -2);
      return readdirSync(join(ROOT, base), { withFileTypes: true })
        .filter((d) => d.isDirectory() && existsSync(join(ROOT, base, d.name, 'package.json')))
        .map((d) => `${base}/${d.name}`);
    });
    for (const workspace of workspaces) expect(dockerfile).toContain(`COPY ${workspace}/package.json ${workspace}/`);
    expect(dockerfile).toMatch(/^USER 10001:10001$/m);
    expect(dockerfile).toMatch(/^ENV NODE_ENV=production$/m);
  });
});
