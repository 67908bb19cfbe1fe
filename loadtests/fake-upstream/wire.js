'use strict';
// OpenAI wire-format helpers: JSON bodies, error objects and SSE data lines.

function sendJson(res, status, body, headers = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** OpenAI error shape: {error: {message, type, param, code}}. */
function sendError(res, status, message, type, code, headers = {}) {
  sendJson(res, status, { error: { message, type, param: null, code } }, headers);
}

function sseData(payload) {
  return `data: ${typeof payload === 'string' ? payload : JSON.stringify(payload)}\n\n`;
}

/** Resolves after ms, or early (false) when the signal aborts. */
function sleep(ms, signal) {
  if (signal.aborted) return Promise.resolve(false);
  if (ms <= 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

module.exports = { sendJson, sendError, sseData, sleep };
