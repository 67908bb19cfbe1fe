'use strict';
// Sets up one tenant through the public APIs, as a person would: instance → the admin's emailed
// link → admin session → provider key (pointing at the fake upstream) → settings → members and
// their sessions (emailed links) → unlimited quota → conversations. Plain Node (fetch only), so
// the load-test runner (loadtests/run-loadtest.js) and the e2e tests (via provision.d.ts) share it.
// Tokens it returns are bearer sessions: callers keep them out of logs.
const { randomBytes } = require('node:crypto');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Where each service answers: per-service local ports, or one origin (an ingress) for all. */
function localUrls(stackPorts) {
  return (service, path) => `http://127.0.0.1:${stackPorts[service].http}${path}`;
}

function ingressUrls(baseUrl) {
  const origin = baseUrl.replace(/\/+$/, '');
  return (_service, path) => `${origin}${path}`;
}

async function call(method, url, { token, body, headers = {}, expect } = {}) {
  const h = { ...headers };
  if (token) h.authorization = `Bearer ${token}`;
  if (body !== undefined) h['content-type'] = 'application/json';
  const res = await fetch(url, {
    method,
    headers: h,
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  let parsed;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = text;
  }
  if (expect !== undefined && res.status !== expect) {
    // The path only (no query, no body): bodies can carry tokens or e-mail addresses.
    const error = parsed && typeof parsed === 'object' && parsed.error ? ` (${parsed.error}: ${parsed.message ?? ''})` : '';
    throw new Error(`${method} ${new URL(url).pathname} answered ${res.status}, expected ${expect}${error}`);
  }
  return { status: res.status, body: parsed };
}

/** The token of the newest login link mailed to `email` that `seen` does not hold yet. */
async function waitForLinkToken(smtpApiUrl, email, seen, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  const api = smtpApiUrl.replace(/\/+$/, '');
  while (Date.now() < deadline) {
    const res = await fetch(`${api}/messages?to=${encodeURIComponent(email.toLowerCase())}`, { signal: AbortSignal.timeout(5_000) });
    if (res.ok) {
      const mails = await res.json();
      for (const mail of mails) {
        if (seen.has(mail.id)) continue;
        const match = /[?&]token=([A-Za-z0-9_-]+)/.exec(mail.text ?? mail.html ?? '');
        if (match) {
          seen.add(mail.id);
          return match[1];
        }
      }
    }
    await sleep(200);
  }
  throw new Error(`no login link arrived within ${timeoutMs} ms (is the SMTP catcher running? bash scripts/infra.sh status)`);
}

/**
 * @param {object} o
 * @param {(service: string, path: string) => string} o.urlFor
 * @param {string} o.smtpApiUrl the SMTP catcher's HTTP API
 * @param {string} o.operatorToken billing's operator token (to set the quota)
 * @param {string} o.upstreamUrl OpenAI-compatible base URL the provider key points at
 * @param {number} [o.members] members to add and sign in (default 1)
 * @param {number} [o.conversationsPerMember] (default 1)
 * @param {string[]} [o.allowedModels] the tenant's allowed models (default: none set)
 * @param {string} [o.label] distinguishes this run's names and addresses
 */
async function provisionTenant(o) {
  const label = (o.label ?? `p${Date.now().toString(36)}`).replace(/[^a-z0-9]/gi, '').toLowerCase();
  const email = (who) => `${who}.${label}@example.test`;
  const seen = new Set();
  const session = async (who) => {
    const token = await waitForLinkToken(o.smtpApiUrl, email(who), seen);
    const res = await call('POST', o.urlFor('auth', '/v1/auth/sessions'), { body: { token }, expect: 200 });
    return { token: res.body.token, subjectId: res.body.subjectId, role: res.body.role };
  };

  const created = await call('POST', o.urlFor('tenant', '/v1/instances'), {
    body: { instanceName: `Load ${label}`, adminEmail: email('admin'), adminName: 'Load Admin' },
    expect: 201,
  });
  const tenantId = created.body.tenantId;
  const admin = await session('admin');
  const apiKey = `sk-load-${randomBytes(18).toString('hex')}`;
  await call('POST', o.urlFor('key-vault', `/v1/tenants/${tenantId}/provider-keys`), {
    token: admin.token,
    body: { provider: 'openai-compatible', label: 'load', apiKey, baseUrl: o.upstreamUrl },
    expect: 201,
  });
  if (o.allowedModels && o.allowedModels.length > 0) {
    await call('PATCH', o.urlFor('tenant', `/v1/tenants/${tenantId}/settings`), {
      token: admin.token,
      body: { allowedModels: o.allowedModels },
      expect: 200,
    });
  }
  await call('PUT', o.urlFor('billing', `/v1/tenants/${tenantId}/quota`), {
    headers: { 'x-operator-token': o.operatorToken },
    body: { monthlyTokenQuota: null },
    expect: 204,
  });

  const count = o.members ?? 1;
  const names = Array.from({ length: count }, (_, i) => `member${i + 1}`);
  for (const who of names) {
    await call('POST', o.urlFor('tenant', `/v1/tenants/${tenantId}/members`), {
      token: admin.token,
      body: { email: email(who), name: who, role: 'member' },
      expect: 201,
    });
  }
  const members = [];
  for (const who of names) {
    const member = await session(who);
    const conversations = [];
    for (let i = 0; i < (o.conversationsPerMember ?? 1); i += 1) {
      const conv = await call('POST', o.urlFor('chat-gateway', '/v1/conversations'), {
        token: member.token,
        body: { title: `load ${i + 1}` },
        expect: 201,
      });
      conversations.push(conv.body.id);
    }
    members.push({ ...member, conversations });
  }
  return { tenantId, admin, members, apiKey };
}

module.exports = { provisionTenant, localUrls, ingressUrls, call };
