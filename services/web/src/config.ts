import { join, resolve } from 'node:path';
import { SERVICE_NAMES, type ServiceName } from './service-routes';

export interface WebConfig {
  host: string;
  port: number;
  /** The browser-facing origin, e.g. https://chat.example.com; default http://<Host header>. */
  publicOrigin?: string;
  /** Base URL of each service's HTTP API. */
  services: Record<ServiceName, string>;
  staticDir: string;
}

/** Reads WEB_HOST, WEB_PORT, WEB_PUBLIC_ORIGIN, SERVICE_URLS (JSON {service: url}), WEB_STATIC_DIR. */
export function loadWebConfig(env: NodeJS.ProcessEnv, defaultStaticDir = join(__dirname, 'public')): WebConfig {
  const port = Number(env.WEB_PORT ?? '8080');
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error('WEB_PORT must be a TCP port');
  let parsed: unknown;
  try {
    parsed = JSON.parse(env.SERVICE_URLS ?? '');
  } catch {
    throw new Error('SERVICE_URLS must be JSON: {"tenant": "http://host:port", ...}');
  }
  const services = {} as Record<ServiceName, string>;
  for (const name of SERVICE_NAMES) {
    const url = (parsed as Record<string, unknown> | null)?.[name];
    if (typeof url !== 'string' || !/^https?:\/\/[^/]+\/?$/.test(url)) throw new Error(`SERVICE_URLS.${name} must be an http(s) origin`);
    services[name] = url.replace(/\/$/, '');
  }
  const publicOrigin = env.WEB_PUBLIC_ORIGIN?.replace(/\/$/, '') || undefined;
  return {
    host: env.WEB_HOST ?? '0.0.0.0',
    port,
    ...(publicOrigin && { publicOrigin }),
    services,
    staticDir: resolve(env.WEB_STATIC_DIR ?? defaultStaticDir),
  };
}
