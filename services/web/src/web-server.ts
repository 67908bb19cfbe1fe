import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { WebConfig } from './config';
import { forward } from './proxy';
import { CSRF_HEADER, csrfRefusal, SECURITY_HEADERS } from './security-headers';
import { serviceFor } from './service-routes';
import { StaticFiles } from './static-files';

/** A sign-in's tokens stay out of the page's reach: the HttpOnly cookies carry them. */
function withoutTokens(body: Record<string, unknown>): Record<string, unknown> {
  const { token: _token, refreshToken: _refreshToken, ...rest } = body;
  return rest;
}

const ISSUES_TOKENS = /^\/v1\/auth\/(sessions|refresh)\/?$/;

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

/** One origin: the console's files, /healthz, and /v1/... forwarded to the six services. */
export function createWebServer(config: WebConfig): Server {
  const files = new StaticFiles(config.staticDir, SECURITY_HEADERS);
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://console.invalid');
    const method = req.method ?? 'GET';
    if (url.pathname === '/healthz') {
      sendJson(res, 200, { status: 'ok' });
      return;
    }
    if (url.pathname === '/v1' || url.pathname.startsWith('/v1/')) {
      const service = serviceFor(url.pathname);
      if (!service) {
        sendJson(res, 404, { error: 'not_found', message: 'no such API route' });
        return;
      }
      const ownOrigin = config.publicOrigin ?? `http://${req.headers.host ?? ''}`;
      const refusal = csrfRefusal({ method, ownOrigin, headers: req.headers });
      if (refusal) {
        sendJson(res, 403, { error: 'csrf_refused', message: refusal });
        return;
      }
      // Only the console sends the CSRF header; API clients using this origin keep the token.
      const isConsoleSignIn = method === 'POST' && ISSUES_TOKENS.test(url.pathname) && req.headers[CSRF_HEADER] === '1';
      forward(req, res, {
        base: config.services[service],
        responseHeaders: SECURITY_HEADERS,
        ...(isConsoleSignIn && { rewriteJson: withoutTokens }),
      });
      return;
    }
    if (method !== 'GET' && method !== 'HEAD') {
      sendJson(res, 405, { error: 'method_not_allowed', message: 'only GET and HEAD here' });
      return;
    }
    files.serve(req, res, url.pathname);
  };
  return createServer(handle);
}
