// Run by metrics.int.spec.ts in its own node process: telemetry from the environment as every
// service's main.ts does, one HTTP request served, then the Prometheus endpoint read back.
const path = require('node:path');
const platform = require(path.join(__dirname, '../../dist/index.js'));

const telemetry = platform.startTelemetryFromEnv('metrics-svc');
const http = require('node:http');

async function get(url) {
  const res = await fetch(url);
  return { status: res.status, body: await res.text() };
}

async function main() {
  const server = http.createServer((_req, res) => res.end('ok'));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  await get(`http://127.0.0.1:${server.address().port}/v1/anything`);
  let scraped = { status: 0, body: '' };
  for (let i = 0; i < 50 && !scraped.body.includes('http_server'); i++) {
    await new Promise((r) => setTimeout(r, 100));
    scraped = await get(`http://127.0.0.1:${process.env.METRICS_PORT}/metrics`).catch(() => scraped);
  }
  server.close();
  await telemetry.shutdown();
  process.stdout.write(JSON.stringify(scraped));
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack));
  process.exit(1);
});
