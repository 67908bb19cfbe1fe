import { readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { IncomingMessage, ServerResponse } from 'node:http';

// The built console (Vite output): fingerprinted files under /assets/ are cached for a year;
// every other path is the single-page app's index.html, never cached (it names the assets).

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.svg', '.json', '.txt']);

interface LoadedFile {
  type: string;
  raw: Buffer;
  gzip?: Buffer;
}

export class StaticFiles {
  private readonly cache = new Map<string, LoadedFile>();

  constructor(
    private readonly root: string,
    private readonly headers: Readonly<Record<string, string>>,
  ) {}

  serve(req: IncomingMessage, res: ServerResponse, pathname: string): void {
    const isAsset = pathname.startsWith('/assets/');
    const file = (pathname !== '/' && this.load(pathname)) || (isAsset ? null : this.load('/index.html'));
    if (!file) {
      res.writeHead(404, { ...this.headers, 'content-type': 'text/plain; charset=utf-8' });
      res.end(isAsset ? 'not found' : 'The console is not built: run `npm run build`.');
      return;
    }
    const gzip = file.gzip && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    const body = gzip ? file.gzip! : file.raw;
    res.writeHead(200, {
      ...this.headers,
      'content-type': file.type,
      'content-length': body.length,
      'cache-control': isAsset ? 'public, max-age=31536000, immutable' : 'no-store',
      vary: 'accept-encoding',
      ...(gzip && { 'content-encoding': 'gzip' }),
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  private load(pathname: string): LoadedFile | null {
    const cached = this.cache.get(pathname);
    if (cached) return cached;
    const loaded = this.read(pathname);
    // Files found are kept (a rebuild needs a restart; assets are fingerprinted anyway).
    if (loaded) this.cache.set(pathname, loaded);
    return loaded;
  }

  private read(pathname: string): LoadedFile | null {
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      return null;
    }
    const full = normalize(join(this.root, decoded));
    if (!full.startsWith(this.root + sep)) return null;
    try {
      if (!statSync(full).isFile()) return null;
    } catch {
      return null;
    }
    const ext = extname(full);
    const raw = readFileSync(full);
    return { type: TYPES[ext] ?? 'application/octet-stream', raw, ...(COMPRESSIBLE.has(ext) && { gzip: gzipSync(raw) }) };
  }
}
