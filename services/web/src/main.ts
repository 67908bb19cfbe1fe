import { loadWebConfig } from './config';
import { createWebServer } from './web-server';

// The web console's server: static files plus the /v1 reverse proxy (see web-server.ts).
const config = loadWebConfig(process.env);
const server = createWebServer(config);
server.listen(config.port, config.host, () => {
  process.stdout.write(`${JSON.stringify({ level: 'info', msg: 'web console listening', port: config.port })}\n`);
});
const stop = () => {
  server.close(() => process.exit(0));
  server.closeIdleConnections();
  // Open chat streams end with the process after a grace period.
  setTimeout(() => process.exit(0), 5000).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
