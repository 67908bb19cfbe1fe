// A capturing SMTP server for local runs and tests: accepts any mail on loopback (no TLS, AUTH
// optional and never checked), parses it, keeps one JSON file per message under SMTP_STORE_DIR
// (so mail survives restarts) and serves it over HTTP:
//   GET    /messages[?to=<address>]  all messages, oldest first, newest last
//   GET    /messages/:id             one message
//   DELETE /messages                 delete all      DELETE /messages/:id   delete one
// Each message: { id, from, to[], cc[], replyTo, subject, text, html, date, receivedAt,
//                 messageId, envelope: { from, to[] } }.
// Started by scripts/infra/smtp.sh with SMTP_PORT, SMTP_API_PORT and SMTP_STORE_DIR.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const http = require('node:http');
const crypto = require('node:crypto');
const { SMTPServer } = require('smtp-server');
const { simpleParser } = require('mailparser');

const HOST = '127.0.0.1';
const SMTP_PORT = Number(process.env.SMTP_PORT || 11025);
const API_PORT = Number(process.env.SMTP_API_PORT || 11080);
const STORE_DIR = path.resolve(process.env.SMTP_STORE_DIR || path.join(__dirname, '..', '.enclave', 'data', 'smtp'));
const MAX_SIZE = 25 * 1024 * 1024;
const ID_RE = /^\d{13}-\d{6}-[0-9a-f]{8}$/;

/** @type {Map<string, object>} id -> message, in arrival order */
const messages = new Map();
let seq = 0;

function log(text) {
  process.stdout.write(`[${new Date().toISOString()}] smtp-catcher: ${text}\n`);
}

function loadStore() {
  fs.mkdirSync(STORE_DIR, { recursive: true });
  const files = fs.readdirSync(STORE_DIR).filter((f) => f.endsWith('.json')).sort();
  for (const file of files) {
    try {
      const message = JSON.parse(fs.readFileSync(path.join(STORE_DIR, file), 'utf8'));
      if (message && ID_RE.test(message.id)) messages.set(message.id, message);
    } catch (err) {
      log(`skipping unreadable stored message ${file}: ${err.message}`);
    }
  }
}

function newId() {
  seq = (seq + 1) % 1_000_000;
  return `${String(Date.now()).padStart(13, '0')}-${String(seq).padStart(6, '0')}-${crypto.randomBytes(4).toString('hex')}`;
}

function addresses(field) {
  if (!field) return [];
  const list = Array.isArray(field) ? field : [field];
  return list.flatMap((group) => (group.value || []).flatMap(flatten));
}

function flatten(entry) {
  if (entry.group) return entry.group.flatMap(flatten);
  return entry.address ? [entry.address.toLowerCase()] : [];
}

async function store(stream, session) {
  const parsed = await simpleParser(stream);
  if (stream.sizeExceeded) {
    const err = new Error(`Message exceeds the ${MAX_SIZE} byte limit`);
    err.responseCode = 552;
    throw err;
  }
  const rcpts = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
  const headerTo = addresses(parsed.to);
  const receivedAt = new Date().toISOString();
  const message = {
    id: newId(),
    from: addresses(parsed.from)[0] || (session.envelope.mailFrom ? session.envelope.mailFrom.address.toLowerCase() : null),
    to: headerTo.length > 0 ? headerTo : rcpts,
    cc: addresses(parsed.cc),
    replyTo: addresses(parsed.replyTo)[0] || null,
    subject: parsed.subject ?? null,
    // mailparser ends a text/plain body with the line break SMTP added; drop it.
    text: typeof parsed.text === 'string' ? parsed.text.replace(/\r?\n$/, '') : null,
    html: typeof parsed.html === 'string' ? parsed.html : null,
    date: (parsed.date || new Date(receivedAt)).toISOString(),
    receivedAt,
    messageId: parsed.messageId ?? null,
    envelope: { from: session.envelope.mailFrom ? session.envelope.mailFrom.address.toLowerCase() : null, to: rcpts },
  };
  const file = path.join(STORE_DIR, `${message.id}.json`);
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(message, null, 2));
  fs.renameSync(`${file}.tmp`, file);
  messages.set(message.id, message);
  log(`stored message ${message.id} (${rcpts.length} recipient(s))`);
}

const smtp = new SMTPServer({
  secure: false,
  authOptional: true,
  allowInsecureAuth: true,
  disabledCommands: ['STARTTLS'],
  banner: 'enclave smtp catcher',
  size: MAX_SIZE,
  logger: false,
  onAuth(_auth, _session, callback) {
    callback(null, { user: 'catcher' });
  },
  onData(stream, session, callback) {
    store(stream, session).then(
      () => callback(),
      (err) => {
        stream.resume();
        if (!err.responseCode) log(`could not store a message: ${err.message}`);
        callback(err);
      },
    );
  },
});
smtp.on('error', (err) => log(`smtp error: ${err.message}`));

function send(res, status, body) {
  const payload = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(payload) });
  res.end(payload);
}

function matchesTo(message, to) {
  return message.to.includes(to) || message.cc.includes(to) || message.envelope.to.includes(to);
}

function removeMessage(id) {
  messages.delete(id);
  fs.rmSync(path.join(STORE_DIR, `${id}.json`), { force: true });
}

function handle(req, res) {
  const url = new URL(req.url || '/', `http://${HOST}`);
  const parts = url.pathname.split('/').filter(Boolean);
  if (parts[0] !== 'messages' || parts.length > 2) return send(res, 404, { error: 'not found' });
  const id = parts[1];
  if (id !== undefined && !ID_RE.test(id)) return send(res, 404, { error: 'no such message' });

  if (req.method === 'GET' && id === undefined) {
    const to = (url.searchParams.get('to') || '').trim().toLowerCase();
    const all = [...messages.values()];
    return send(res, 200, to ? all.filter((m) => matchesTo(m, to)) : all);
  }
  if (req.method === 'GET') {
    const message = messages.get(id);
    return message ? send(res, 200, message) : send(res, 404, { error: 'no such message' });
  }
  if (req.method === 'DELETE' && id === undefined) {
    const ids = [...messages.keys()];
    ids.forEach(removeMessage);
    return send(res, 200, { deleted: ids.length });
  }
  if (req.method === 'DELETE') {
    if (!messages.has(id)) return send(res, 404, { error: 'no such message' });
    removeMessage(id);
    return send(res, 200, { deleted: 1 });
  }
  res.setHeader('allow', 'GET, DELETE');
  return send(res, 405, { error: 'method not allowed' });
}

const api = http.createServer((req, res) => {
  try {
    req.resume();
    handle(req, res);
  } catch (err) {
    log(`api error: ${err.message}`);
    if (!res.headersSent) send(res, 500, { error: 'internal error' });
  }
});

function shutdown(signal) {
  log(`${signal}: shutting down`);
  setTimeout(() => process.exit(0), 2000).unref();
  api.close();
  smtp.close(() => process.exit(0));
}

function listen(server, port, what, onReady) {
  const onError = (err) => {
    log(`cannot listen for ${what} on ${HOST}:${port}: ${err.message}`);
    process.exit(1);
  };
  server.once('error', onError);
  server.listen(port, HOST, () => {
    server.off('error', onError);
    onReady();
  });
}

loadStore();
listen(smtp, SMTP_PORT, 'SMTP', () => log(`SMTP on ${HOST}:${SMTP_PORT}, ${messages.size} stored message(s)`));
listen(api, API_PORT, 'the HTTP API', () => log(`HTTP API on http://${HOST}:${API_PORT}/messages`));
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
