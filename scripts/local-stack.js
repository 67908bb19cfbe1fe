// Starts and stops the six services (and the fake LLM upstream) as real processes on loopback,
// wired to the local infrastructure. Used by scripts/start.sh and by the end-to-end tests.
// Secrets for local use are generated once into .enclave/secrets.json (git-ignored).
const { spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const HOME = process.env.ENCLAVE_HOME || path.join(ROOT, '.enclave');
const SERVICES = ['tenant', 'auth', 'key-vault', 'chat-gateway', 'billing', 'audit'];
// Every service hosts gRPC: tenant, auth and key-vault their own APIs, and all five that hold
// data about people the SubjectDataService audit calls for access exports.
const GRPC_SERVICES = ['tenant', 'auth', 'key-vault', 'chat-gateway', 'billing'];

// V8 grows each young-generation semi-space to 32 MB by default (64 MB of new space resident per
// service); 8 MB semi-spaces hold a gateway's in-flight requests at peak without promoting them,
// and cut ~50 MB of resident memory per service. services/Dockerfile's CMD passes the same flag.
const SERVICE_NODE_FLAGS = ['--max-semi-space-size=8'];
// chat-gateway's memory is bounded by design (caches by entries and bytes, the usage publisher by
// facts pending): its old space is capped so V8 collects instead of growing under load, as a
// container memory limit does in Kubernetes (Node sizes its heap from the cgroup limit).
const NODE_FLAGS_OF = { 'chat-gateway': ['--max-old-space-size=128'] };
const nodeFlags = (name) => [...SERVICE_NODE_FLAGS, ...(NODE_FLAGS_OF[name.replace(/-\d+$/, '')] || [])];

function ports(base = 7100) {
  // The web console (static files + /v1 proxy to the services) is the one origin for browsers.
  const p = { upstream: base + 90, web: { http: base } };
  SERVICES.forEach((name, i) => {
    p[name] = { http: base + 1 + i, grpc: base + 101 + i };
  });
  return p;
}

/**
 * HTTP port of replica `k` (1-based) of a service: replica 1 is the port from ports(base); the
 * others are base + 10*k + 1 + the service's index (k = 2..8; below the upstream's base + 90).
 */
function replicaHttpPort(base = 7100, name, k = 1) {
  const index = SERVICES.indexOf(name);
  if (index < 0) throw new Error(`unknown service ${name}`);
  if (!Number.isInteger(k) || k < 1 || k > 8) throw new Error(`replica number must be 1..8, got ${k}`);
  return k === 1 ? ports(base)[name].http : base + 10 * k + 1 + index;
}

function readInfraEnv() {
  const file = path.join(HOME, 'infra.env');
  if (!fs.existsSync(file)) throw new Error('Local infrastructure is not running: run `bash scripts/infra.sh up`');
  const env = {};
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const m = line.match(/^([A-Z0-9_]+)=(.*)$/);
    if (m) env[m[1]] = m[2].replace(/^"|"$/g, '');
  }
  return env;
}

function der(key, type) {
  return key.export({ format: 'der', type }).toString('base64');
}

/** Secrets added after a secrets.json was first written: generated once, then kept with it. */
const LATER_SECRETS = {
  checkpointSigningKey: () => der(crypto.generateKeyPairSync('ed25519').privateKey, 'pkcs8'),
  virtualKeyPepper: () => crypto.randomBytes(32).toString('base64'),
  signUpHashKey: () => crypto.randomBytes(32).toString('base64'),
};

function loadSecrets() {
  const file = path.join(HOME, 'secrets.json');
  if (fs.existsSync(file)) {
    const secrets = JSON.parse(fs.readFileSync(file, 'utf8'));
    const missing = Object.keys(LATER_SECRETS).filter((k) => secrets[k] === undefined);
    if (missing.length === 0) return secrets;
    for (const k of missing) secrets[k] = LATER_SECRETS[k]();
    fs.writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
    return secrets;
  }
  const rand = (n) => crypto.randomBytes(n).toString('base64');
  const identities = {};
  for (const name of SERVICES) {
    const { privateKey, publicKey } = crypto.generateKeyPairSync('ed25519');
    identities[name] = { privateKey: der(privateKey, 'pkcs8'), publicKey: der(publicKey, 'spki') };
  }
  const session = crypto.generateKeyPairSync('ed25519');
  const secrets = {
    identities,
    sessionSigningKey: der(session.privateKey, 'pkcs8'),
    emailHashKey: rand(32),
    ipHashKey: rand(32),
    kekKeys: { 1: rand(32) },
    fingerprintKey: rand(32),
    operatorToken: crypto.randomBytes(24).toString('base64url'),
    ...Object.fromEntries(Object.entries(LATER_SECRETS).map(([k, make]) => [k, make()])),
  };
  fs.mkdirSync(HOME, { recursive: true });
  fs.writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

/** Environment of one service process. `opts`: {portBase, dbPrefix, groupSuffix, extra}. */
function serviceEnv(name, opts = {}) {
  const infra = opts.infra || readInfraEnv();
  const secrets = opts.secrets || loadSecrets();
  const p = ports(opts.portBase);
  const publicKeys = Object.fromEntries(Object.entries(secrets.identities).map(([n, k]) => [n, k.publicKey]));
  const env = {
    NODE_ENV: 'development',
    LOG_LEVEL: process.env.LOG_LEVEL || 'info',
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: String(p[name].http),
    GRPC_PORT: String(p[name].grpc),
    GRPC_ENABLED: String(GRPC_SERVICES.includes(name)),
    MONGO_URL: infra.MONGO_URL,
    MONGO_DB: `${opts.dbPrefix || 'enclave'}_${name.replace(/-/g, '_')}`,
    KAFKA_BROKERS: infra.KAFKA_BROKERS,
    KAFKA_GROUP_ID: `${name}${opts.groupSuffix ? '-' + opts.groupSuffix : ''}`,
    REDIS_URL: infra.REDIS_URL,
    SERVICE_PRIVATE_KEY: secrets.identities[name].privateKey,
    SERVICE_PUBLIC_KEYS: JSON.stringify(publicKeys),
    AUTH_JWKS_URL: `http://127.0.0.1:${p.auth.http}/v1/auth/jwks`,
    TENANT_GRPC_ADDR: `127.0.0.1:${p.tenant.grpc}`,
    AUTH_GRPC_ADDR: `127.0.0.1:${p.auth.grpc}`,
    KEY_VAULT_GRPC_ADDR: `127.0.0.1:${p['key-vault'].grpc}`,
    CHAT_GATEWAY_GRPC_ADDR: `127.0.0.1:${p['chat-gateway'].grpc}`,
    BILLING_GRPC_ADDR: `127.0.0.1:${p.billing.grpc}`,
  };
  const perService = {
    auth: {
      SESSION_SIGNING_KEY: secrets.sessionSigningKey,
      EMAIL_HASH_KEY: secrets.emailHashKey,
      IP_HASH_KEY: secrets.ipHashKey,
      SMTP_HOST: infra.SMTP_HOST,
      SMTP_PORT: infra.SMTP_PORT,
      MAIL_FROM: 'Enclave <no-reply@enclave.local>',
      // Mailed sign-in links open the web console's /login page.
      PUBLIC_BASE_URL: `http://127.0.0.1:${p.web.http}`,
      COOKIE_SECURE: 'false',
      // The longest access token allowed (the deployment default is 5 min): suites hold a
      // sign-in's first token for many minutes. A refresh or a revocation works the same.
      ACCESS_TOKEN_TTL_MS: '15m',
      // Every local client is 127.0.0.1 (all suites' sign-ins count there): only the per-email limit is tight.
      LOGIN_LINK_LIMIT_PER_IP: '100000',
    },
    'key-vault': {
      KEK_KEYS: JSON.stringify(secrets.kekKeys),
      KEK_ACTIVE_VERSION: '1',
      FINGERPRINT_KEY: secrets.fingerprintKey,
      ALLOW_LOOPBACK_BASE_URLS: 'true',
    },
    billing: { OPERATOR_TOKEN: secrets.operatorToken, DEFAULT_MONTHLY_TOKEN_QUOTA: '0' },
    // Sign-up limits: every local client is 127.0.0.1, so only the per-email limit is tight.
    tenant: { DEFAULT_MODEL: 'gpt-4o-mini', SIGN_UP_HASH_KEY: secrets.signUpHashKey, SIGN_UP_LIMIT_PER_IP: '100000' },
    // The fake upstream (and any local provider) listens on loopback.
    'chat-gateway': { VIRTUAL_KEY_PEPPER: secrets.virtualKeyPepper, ALLOW_LOOPBACK_BASE_URLS: 'true' },
    audit: { CHECKPOINT_SIGNING_KEY: secrets.checkpointSigningKey },
  };
  return { ...env, ...perService[name], ...(opts.extra && opts.extra[name]) };
}

/** The web console's environment: where each service's HTTP API answers. */
function webEnv(p) {
  const services = Object.fromEntries(SERVICES.map((name) => [name, `http://127.0.0.1:${p[name].http}`]));
  return { NODE_ENV: 'development', WEB_HOST: '127.0.0.1', WEB_PORT: String(p.web.http), SERVICE_URLS: JSON.stringify(services) };
}

async function waitReady(url, proc, timeoutMs = 60000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc && proc.exitCode !== null) throw new Error(`${url}: process exited with code ${proc.exitCode}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} not ready after ${timeoutMs} ms`);
}

/**
 * Starts the fake upstream and all services; resolves when every /readyz answers 200.
 * `opts.extra[name]` overrides env per service ('fake-upstream' included, e.g.
 * FAKE_UPSTREAM_CHUNK_DELAY_MS). `opts.replicas` = {[service]: n} starts n processes of a
 * service (e.g. {'chat-gateway': 3}); replica k (2..n) is named `<service>-<k>` in procs and
 * logs and listens on replicaHttpPort(base, service, k) and that port + 100 for gRPC (callers
 * are given replica 1's gRPC address).
 * `opts.authFirst` starts auth and waits for it before the others (see below).
 */
async function startStack(opts = {}) {
  const p = ports(opts.portBase);
  const logDir = opts.logDir || path.join(HOME, 'logs');
  fs.mkdirSync(logDir, { recursive: true });
  const procs = {};
  const launch = (name, script, env) => {
    const out = fs.openSync(path.join(logDir, `${name}.log`), 'a');
    const child = spawn(process.execPath, [...nodeFlags(name), script], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, ...env },
      stdio: ['ignore', out, out],
    });
    procs[name] = child;
    return child;
  };
  launch('fake-upstream', path.join(ROOT, 'loadtests/fake-upstream/server.js'), {
    FAKE_UPSTREAM_PORT: String(p.upstream),
    ...(opts.extra && opts.extra['fake-upstream']),
  });
  // /healthz: /v1/models answers 401 without a provider key, so it never looked ready.
  try {
    await waitReady(`http://127.0.0.1:${p.upstream}/healthz`, procs['fake-upstream']);
  } catch (error) {
    await stopStack(procs);
    throw error;
  }
  const ready = [];
  if (opts.authFirst) {
    // The others fetch auth's JWKS at boot; a failed first fetch blocks the retry for a few
    // seconds (libs/session minRefetchMs), so sessions used right after start would get 401.
    launch('auth', path.join(ROOT, 'services/auth/dist/main.js'), serviceEnv('auth', opts));
    try {
      await waitReady(`http://127.0.0.1:${p.auth.http}/readyz`, procs.auth, opts.readyTimeoutMs);
    } catch (error) {
      await stopStack(procs);
      throw error;
    }
  }
  for (const name of SERVICES) {
    if (opts.authFirst && name === 'auth') continue;
    launch(name, path.join(ROOT, `services/${name}/dist/main.js`), serviceEnv(name, opts));
    ready.push([name, p[name].http]);
    const count = (opts.replicas && opts.replicas[name]) || 1;
    for (let k = 2; k <= count; k += 1) {
      const port = replicaHttpPort(opts.portBase, name, k);
      launch(`${name}-${k}`, path.join(ROOT, `services/${name}/dist/main.js`), {
        ...serviceEnv(name, opts),
        HTTP_PORT: String(port),
        GRPC_PORT: String(port + 100),
      });
      ready.push([`${name}-${k}`, port]);
    }
  }
  launch('web', path.join(ROOT, 'services/web/dist/main.js'), webEnv(p));
  try {
    await Promise.all([
      ...ready.map(([name, port]) => waitReady(`http://127.0.0.1:${port}/readyz`, procs[name], opts.readyTimeoutMs)),
      waitReady(`http://127.0.0.1:${p.web.http}/healthz`, procs.web, opts.readyTimeoutMs),
    ]);
  } catch (error) {
    await stopStack(procs); // no half-started stack left behind
    throw error;
  }
  return { procs, ports: p, stop: () => stopStack(procs) };
}

async function stopStack(procs) {
  await Promise.all(
    Object.values(procs).map(
      (child) =>
        new Promise((resolve) => {
          if (child.exitCode !== null) return resolve();
          const timer = setTimeout(() => child.kill('SIGKILL'), 10000);
          child.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
          child.kill('SIGTERM');
        }),
    ),
  );
}

module.exports = { SERVICES, ports, replicaHttpPort, serviceEnv, loadSecrets, readInfraEnv, startStack, stopStack, waitReady };

if (require.main === module) {
  startStack()
    .then(({ ports: p, stop }) => {
      const base = (n) => `http://127.0.0.1:${p[n].http}`;
      console.log('Enclave is running:');
      console.log(`  web console   http://127.0.0.1:${p.web.http}/`);
      for (const n of SERVICES) console.log(`  ${n.padEnd(13)} ${base(n)}`);
      console.log(`  fake LLM      http://127.0.0.1:${p.upstream}/v1`);
      console.log(`  SMTP catcher  ${readInfraEnv().SMTP_API_URL}/messages`);
      console.log('Logs in .enclave/logs/. Ctrl-C stops the services (infrastructure keeps running: bash scripts/infra.sh down).');
      const shutdown = () => stop().then(() => process.exit(0));
      process.on('SIGINT', shutdown);
      process.on('SIGTERM', shutdown);
    })
    .catch((err) => {
      console.error(`[start] ${err.message} (see .enclave/logs/)`);
      process.exit(1);
    });
}
