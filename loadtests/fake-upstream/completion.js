'use strict';
// Answers one chat completion, streamed (SSE chunks) or whole, applying the request's faults.
const { randomUUID } = require('node:crypto');
const { replyText, splitIntoChunks, usageFor } = require('./reply');
const { sendError, sendJson, sseData, sleep } = require('./wire');

/** An AbortSignal that fires when the client goes away before we finished answering. */
function clientGone(res) {
  const controller = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  return controller.signal;
}

/**
 * Drops the connection mid-answer, deterministically: first waits until everything written so
 * far has been handed to the kernel (an empty write's callback runs after every earlier write),
 * then sends a graceful FIN (not a reset). Ending the socket straight away raced the buffered
 * chunks on some Node releases, and the client saw no bytes at all.
 */
function cutAfterFlush(res) {
  return new Promise((resolve) => {
    res.socket.write('', () => {
      res.socket.end();
      resolve();
    });
  });
}

/** Latency and the faults that answer with a status (or never answer). Returns true when handled. */
async function preamble(res, behaviour, record, signal) {
  if (!(await sleep(behaviour.latencyMs, signal))) {
    record.outcome = 'client_closed';
    return true;
  }
  switch (behaviour.fault) {
    case '429':
      record.outcome = 'fault:429';
      sendError(res, 429, 'Rate limit reached for requests (fake).', 'requests', 'rate_limit_exceeded', { 'retry-after': '1' });
      return true;
    case '500':
      record.outcome = 'fault:500';
      sendError(res, 500, 'The server had an error while processing your request (fake).', 'server_error', null);
      return true;
    case 'hang':
      // Never answer; the socket stays open until the client gives up (or close() runs).
      record.outcome = 'fault:hang';
      signal.addEventListener('abort', () => void (record.outcome = 'client_closed_while_hanging'), { once: true });
      return true;
    default:
      return false;
  }
}

async function streamCompletion(_req, res, body, behaviour, record) {
  const signal = clientGone(res);
  if (await preamble(res, behaviour, record, signal)) return;
  const id = `chatcmpl-${randomUUID()}`;
  const created = Math.floor(Date.now() / 1000);
  const text = replyText(body.messages);
  const chunks = splitIntoChunks(text, behaviour.chunks);
  const includeUsage = body.stream_options != null && body.stream_options.include_usage === true;
  const chunk = (delta, finishReason) => ({
    id, object: 'chat.completion.chunk', created, model: body.model,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    ...(includeUsage ? { usage: null } : {}),
  });

  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  res.write(sseData(chunk({ role: 'assistant', content: '' }, null)));
  const cutAt = behaviour.fault === 'broken-stream' || behaviour.fault === 'stall' ? Math.ceil(chunks.length / 2) : chunks.length;
  for (let i = 0; i < cutAt; i += 1) {
    if (i > 0 && !(await sleep(behaviour.chunkDelayMs, signal))) break;
    if (signal.aborted) break;
    res.write(sseData(chunk({ content: chunks[i] }, null)));
  }
  if (signal.aborted) {
    record.outcome = 'client_closed';
    return;
  }
  if (behaviour.fault === 'broken-stream') {
    record.outcome = 'fault:broken-stream';
    // The connection drops mid-stream: no finish chunk, no [DONE], no chunked-encoding end.
    await cutAfterFlush(res);
    return;
  }
  if (behaviour.fault === 'stall') {
    record.outcome = 'fault:stall';
    return; // headers and some chunks sent, then silence with the socket open
  }
  res.write(sseData(chunk({}, 'stop')));
  if (includeUsage && behaviour.fault !== 'no-usage') {
    res.write(sseData({ id, object: 'chat.completion.chunk', created, model: body.model, choices: [], usage: usageFor(body.messages, text) }));
  }
  res.end(sseData('[DONE]'));
  record.outcome = 'completed';
}

async function sendCompletion(_req, res, body, behaviour, record) {
  const signal = clientGone(res);
  if (await preamble(res, behaviour, record, signal)) return;
  const text = replyText(body.messages);
  const completion = {
    id: `chatcmpl-${randomUUID()}`, object: 'chat.completion', created: Math.floor(Date.now() / 1000), model: body.model,
    choices: [{ index: 0, message: { role: 'assistant', content: text, refusal: null }, logprobs: null, finish_reason: 'stop' }],
    ...(behaviour.fault === 'no-usage' ? {} : { usage: usageFor(body.messages, text) }),
  };
  if (behaviour.fault === 'broken-stream' || behaviour.fault === 'stall') {
    const bytes = Buffer.from(JSON.stringify(completion));
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': bytes.length });
    res.write(bytes.subarray(0, Math.floor(bytes.length / 2)));
    record.outcome = `fault:${behaviour.fault}`;
    if (behaviour.fault === 'broken-stream') await cutAfterFlush(res);
    return;
  }
  sendJson(res, 200, completion);
  record.outcome = 'completed';
}

module.exports = { streamCompletion, sendCompletion };
