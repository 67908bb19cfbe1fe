'use strict';
// A fake OpenAI-compatible provider (node:http only) for local runs, integration tests and load
// tests: GET /v1/models, POST /v1/chat/completions with and without `stream`, usage in the
// final chunk, deterministic replies (reply.js), latency and faults per request (behaviour.js).
// Test hooks: GET /__requests (last 50 chat request bodies, oldest first), DELETE /__requests.
//   node loadtests/fake-upstream/server.js
//   env FAKE_UPSTREAM_PORT (7190), FAKE_UPSTREAM_HOST (127.0.0.1), FAKE_UPSTREAM_KEYS (comma list
//   of accepted API keys; empty = any non-empty bearer), FAKE_UPSTREAM_CHUNK_DELAY_MS (0)
const http = require('node:http');
const { behaviourFor } = require('./behaviour');
const { streamCompletion, sendCompletion } = require('./completion');
const { sendError, sendJson } = require('./wire');

const MODELS = ['gpt-4o-mini', 'gpt-4o', 'fake-echo'];
const KEEP_REQUESTS = 50;
const MAX_BODY_BYTES = 4 * 1024 * 1024;

function readBody(req) {
  return new Promise((resolve, reject) => {
    const parts = [];
    let size = 0;
    req.on('data', (part) => {
      size += part.length;
      if (size > MAX_BODY_BYTES) {
        reject(Object.assign(new Error('request body too large'), { status: 413 }));
        req.destroy();
        return;
      }
      parts.push(part);
    });
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}

function bearerKey(req) {
  const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  return match ? match[1] : undefined;
}

function createHandler(config, requests) {
  const authorized = (key) => key !== undefined && (config.keys.size === 0 || config.keys.has(key));
  const deny = (res) =>
    sendError(res, 401, 'Incorrect API key provided.', 'invalid_request_error', 'invalid_api_key');

  return async function handle(req, res) {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/healthz' && req.method === 'GET') return sendJson(res, 200, { status: 'ok' });
    if (path === '/__requests' && req.method === 'GET') return sendJson(res, 200, { requests });
    if (path === '/__requests' && req.method === 'DELETE') {
      requests.length = 0;
      res.writeHead(204).end();
      return;
    }
    if (path === '/v1/models' && req.method === 'GET') {
      if (!authorized(bearerKey(req))) return deny(res);
      const data = MODELS.map((id) => ({ id, object: 'model', created: 1700000000, owned_by: 'fake-upstream' }));
      return sendJson(res, 200, { object: 'list', data });
    }
    if (path !== '/v1/chat/completions' || req.method !== 'POST') {
      return sendError(res, 404, `Unknown route ${req.method} ${path}`, 'invalid_request_error', 'not_found');
    }

    let body;
    try {
      body = JSON.parse(await readBody(req));
    } catch (error) {
      const status = error && error.status === 413 ? 413 : 400;
      return sendError(res, status, status === 413 ? 'Request body too large.' : 'Request body is not valid JSON.', 'invalid_request_error', null);
    }
    const key = bearerKey(req);
    const record = {
      seq: (requests.seq = (requests.seq ?? 0) + 1),
      receivedAt: new Date().toISOString(),
      keyLastFour: key ? key.slice(-4) : null,
      authorized: authorized(key),
      outcome: 'pending',
      body,
    };
    requests.push(record);
    if (requests.length > KEEP_REQUESTS) requests.splice(0, requests.length - KEEP_REQUESTS);

    if (!record.authorized) {
      record.outcome = 'unauthorized';
      return deny(res);
    }
    if (!body || typeof body !== 'object' || typeof body.model !== 'string' || !Array.isArray(body.messages) || body.messages.length === 0) {
      record.outcome = 'invalid';
      return sendError(res, 400, "'model' (string) and 'messages' (non-empty array) are required.", 'invalid_request_error', null);
    }
    const behaviour = behaviourFor(body.model, req.headers, config);
    const run = body.stream === true ? streamCompletion : sendCompletion;
    await run(req, res, body, behaviour, record);
  };
}

/**
 * Starts the fake upstream. Resolves once listening.
 * @param {{port?: number, host?: string, keys?: string[], chunkDelayMs?: number}} [options]
 */
function start(options = {}) {
  const config = {
    keys: new Set((options.keys ?? []).filter(Boolean)),
    chunkDelayMs: options.chunkDelayMs ?? 0,
  };
  const requests = [];
  const handle = createHandler(config, requests);
  const server = http.createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) sendError(res, 500, 'fake upstream failed', 'server_error', null);
      else res.destroy();
    });
  });
  const host = options.host ?? '127.0.0.1';
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 7190, host, () => {
      server.off('error', reject);
      const { port } = server.address();
      resolve({
        server,
        port,
        url: `http://${host}:${port}/v1`,
        /** The recorded chat requests (live array, oldest first). */
        requests: () => requests.slice(),
        clearRequests: () => void (requests.length = 0),
        close: () =>
          new Promise((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}

module.exports = { start, MODELS };

if (require.main === module) {
  const env = process.env;
  const int = (name, fallback) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 0) {
      console.error(`fake-upstream: ${name} must be a non-negative integer`);
      process.exit(2);
    }
    return n;
  };
  start({
    port: int('FAKE_UPSTREAM_PORT', 7190),
    host: env.FAKE_UPSTREAM_HOST || '127.0.0.1',
    keys: (env.FAKE_UPSTREAM_KEYS ?? '').split(',').map((k) => k.trim()),
    chunkDelayMs: int('FAKE_UPSTREAM_CHUNK_DELAY_MS', 0),
  }).then(
    (upstream) => {
      console.log(`fake-upstream listening on ${upstream.url}`);
      const stop = () => upstream.close().then(() => process.exit(0));
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
    },
    (error) => {
      console.error(`fake-upstream: cannot listen: ${error.message}`);
      process.exit(1);
    },
  );
}
