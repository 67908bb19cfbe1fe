#!/usr/bin/env node
// Makes fresh secrets for a development cluster (node built-ins only): the Secrets that the
// example site values reference, and the matching public keys as chart values.
//
//   node k8s/examples/dev-secrets.mjs --mongo-url mongodb://mongo.dev:27017/ \
//     --kafka-brokers kafka.dev:9092 --redis-url redis://redis.dev:6379 \
//     [--namespace enclave] [--prefix enclave] [--smtp-password PW] [--out .enclave/dev]
//   kubectl apply -f .enclave/dev/secrets.yaml
//   helm install ... -f .enclave/dev/identity-values.yaml   (skaffold profiles include it)
//
// Writes <out>/secrets.yaml and <out>/identity-values.yaml (mode 0600) and prints only their
// paths: key material never reaches the terminal. Running it again makes new keys (which
// invalidates existing sessions, sealed provider keys and pinned audit checkpoint keys: for dev
// clusters only).
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const USAGE = 'usage: dev-secrets.mjs --mongo-url URL --kafka-brokers host:port[,..] --redis-url URL '
  + '[--namespace enclave] [--prefix enclave] [--smtp-password PW] [--out .enclave/dev]';

function fail(message) {
  console.error(`dev-secrets: ${message}\n${USAGE}`);
  process.exit(2);
}

let args;
try {
  ({ values: args } = parseArgs({
    options: {
      'mongo-url': { type: 'string' },
      'kafka-brokers': { type: 'string' },
      'redis-url': { type: 'string' },
      namespace: { type: 'string', default: 'enclave' },
      prefix: { type: 'string', default: 'enclave' },
      'smtp-password': { type: 'string' },
      out: { type: 'string', default: '.enclave/dev' },
    },
  }));
} catch (error) {
  fail(error.message);
}
for (const name of ['mongo-url', 'kafka-brokers', 'redis-url']) {
  if (!args[name]) fail(`--${name} is required`);
}
if (!/^mongodb(\+srv)?:\/\//.test(args['mongo-url'])) fail('--mongo-url must be a mongodb:// or mongodb+srv:// URL');
if (!/^[^,\s]+:\d+(,[^,\s]+:\d+)*$/.test(args['kafka-brokers'])) fail('--kafka-brokers must be host:port[,host:port]');
if (!/^rediss?:\/\//.test(args['redis-url'])) fail('--redis-url must be a redis:// or rediss:// URL');
const dnsLabel = /^[a-z0-9]([-a-z0-9]{0,40}[a-z0-9])?$/;
if (!dnsLabel.test(args.namespace)) fail('--namespace must be a DNS label');
if (!dnsLabel.test(args.prefix)) fail('--prefix must be a DNS label');

/** An Ed25519 key pair as base64 PKCS#8 DER (private) and base64 SPKI DER (public). */
function ed25519() {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKey: privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64'),
    publicKey: publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
  };
}
const key32 = () => randomBytes(32).toString('base64');

// The gRPC callers sign their calls; their public keys go to the servers as chart values.
const identities = { tenant: ed25519(), auth: ed25519(), 'chat-gateway': ed25519(), audit: ed25519() };

const secrets = {
  infrastructure: {
    'mongo-url': args['mongo-url'],
    'kafka-brokers': args['kafka-brokers'],
    'redis-url': args['redis-url'],
  },
  'tenant-secrets': {
    SERVICE_PRIVATE_KEY: identities.tenant.privateKey,
    // Names the sign-up rate-limit counters (keyed hashes of client IPs and admin emails).
    SIGN_UP_HASH_KEY: key32(),
    // Lets the operator past the sign-up limits; required with services.tenant.config.signUp.mode=operator.
    OPERATOR_TOKEN: randomBytes(32).toString('base64url'),
  },
  'auth-secrets': {
    SERVICE_PRIVATE_KEY: identities.auth.privateKey,
    SESSION_SIGNING_KEY: ed25519().privateKey,
    EMAIL_HASH_KEY: key32(),
    IP_HASH_KEY: key32(),
    ...(args['smtp-password'] ? { SMTP_PASSWORD: args['smtp-password'] } : {}),
  },
  'key-vault-secrets': {
    FINGERPRINT_KEY: key32(),
    'kek.json': JSON.stringify({ 1: key32() }),
    // Enables key-vault's operator API (/v1/admin/kek, /v1/admin/kek/rewrap); at least 32 characters.
    OPERATOR_TOKEN: randomBytes(32).toString('base64url'),
  },
  'chat-gateway-secrets': { SERVICE_PRIVATE_KEY: identities['chat-gateway'].privateKey, VIRTUAL_KEY_PEPPER: key32() },
  'billing-secrets': { OPERATOR_TOKEN: randomBytes(32).toString('base64url') },
  // Signs the audit log's Merkle checkpoints; verifiers pin its public half (GET /v1/audit/public-key).
  // Audit also calls every service's SubjectDataService (access exports) and key-vault's
  // SubjectKeyService with its own identity.
  'audit-secrets': { CHECKPOINT_SIGNING_KEY: ed25519().privateKey, SERVICE_PRIVATE_KEY: identities.audit.privateKey },
};

// JSON strings are valid YAML double-quoted scalars, so JSON.stringify quotes every value safely.
const q = (text) => JSON.stringify(text);
const documents = Object.entries(secrets).map(([suffix, data]) => [
  'apiVersion: v1',
  'kind: Secret',
  'metadata:',
  `  name: ${q(`${args.prefix}-${suffix}`)}`,
  `  namespace: ${q(args.namespace)}`,
  '  labels:',
  '    app.kubernetes.io/part-of: enclave',
  'type: Opaque',
  'stringData:',
  ...Object.entries(data).map(([key, value]) => `  ${q(key)}: ${q(value)}`),
].join('\n'));

const identityValues = [
  '# Public keys of the services that make gRPC calls (made by k8s/examples/dev-secrets.mjs).',
  'serviceIdentity:',
  '  publicKeys:',
  ...Object.entries(identities).map(([service, pair]) => `    ${q(service)}: ${q(pair.publicKey)}`),
].join('\n');

const out = resolve(args.out);
mkdirSync(out, { recursive: true });
const secretsFile = join(out, 'secrets.yaml');
const valuesFile = join(out, 'identity-values.yaml');
writeFileSync(secretsFile, `${documents.join('\n---\n')}\n`, { mode: 0o600 });
writeFileSync(valuesFile, `${identityValues}\n`, { mode: 0o600 });
console.log(`secrets: ${secretsFile}\nvalues:  ${valuesFile}`);
