import { request as httpRequest, type IncomingMessage, type ServerResponse, type OutgoingHttpHeaders } from 'node:http';

// Forwards one /v1 request to its service and streams the answer back as it arrives (the chat
// answer is server-sent events: every chunk is written through at once, nothing is buffered).

const HOP_BY_HOP = new Set([
  'connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'host',
]);

export interface ProxyTarget {
  /** http://host:port of the service */
  base: string;
  /** Headers written over the service's own (the console's security headers). */
  responseHeaders: Readonly<Record<string, string>>;
  /** Rewrites a small JSON answer before it reaches the browser (undefined: stream it). */
  rewriteJson?: (body: Record<string, unknown>) => Record<string, unknown>;
}

export function forward(req: IncomingMessage, res: ServerResponse, target: ProxyTarget): void {
  const url = new URL(req.url ?? '/', target.base);
  const headers: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (!HOP_BY_HOP.has(name) && value !== undefined) headers[name] = value;
  }
  const client = req.socket.remoteAddress ?? '';
  const prior = req.headers['x-forwarded-for'];
  headers['x-forwarded-for'] = prior ? `${String(prior)}, ${client}` : client;
  headers['x-forwarded-host'] = req.headers.host ?? '';
  headers['x-forwarded-proto'] = 'http';

  const upstream = httpRequest(url, { method: req.method, headers }, (answer) => {
    const out: OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(answer.headers)) {
      if (!HOP_BY_HOP.has(name) && value !== undefined) out[name] = value;
    }
    Object.assign(out, target.responseHeaders);
    const status = answer.statusCode ?? 502;
    const isJson = String(answer.headers['content-type'] ?? '').startsWith('application/json');
    if (target.rewriteJson && isJson) {
      rewrite(answer, res, status, out, target.rewriteJson);
      return;
    }
    res.writeHead(status, out);
    res.flushHeaders();
    // pipe writes each chunk as it is read (an SSE event reaches the browser at once) and
    // pauses the service's answer while the browser is slower (large exports).
    answer.pipe(res);
    answer.on('error', () => res.destroy());
  });
  upstream.on('error', () => {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const body = JSON.stringify({ error: 'service_unavailable', message: 'the service is not reachable right now; try again shortly' });
    res.writeHead(503, { ...target.responseHeaders, 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
    res.end(body);
  });
  // The browser stopped (e.g. "stop generating"): stop the service's work too.
  res.on('close', () => {
    if (!res.writableFinished) upstream.destroy();
  });
  req.pipe(upstream);
}

function rewrite(
  answer: IncomingMessage,
  res: ServerResponse,
  status: number,
  out: OutgoingHttpHeaders,
  change: (body: Record<string, unknown>) => Record<string, unknown>,
): void {
  const chunks: Buffer[] = [];
  answer.on('data', (chunk: Buffer) => chunks.push(chunk));
  answer.on('error', () => res.destroy());
  answer.on('end', () => {
    let text = Buffer.concat(chunks).toString('utf8');
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) text = JSON.stringify(change(parsed as Record<string, unknown>));
    } catch {
      /* not JSON after all: pass it on unchanged */
    }
    delete out['content-encoding'];
    out['content-length'] = Buffer.byteLength(text);
    res.writeHead(status, out);
    res.end(text);
  });
}
