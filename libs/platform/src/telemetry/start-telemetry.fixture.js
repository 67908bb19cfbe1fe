// Run by start-telemetry.int.spec.ts in its own node process, laid out like a service's main.ts:
// @enclave/platform first, then startTelemetry, then the libraries it should instrument.
const path = require('node:path');
const { Writable } = require('node:stream');
const platform = require(path.join(__dirname, '../../dist/index.js'));
const { InMemorySpanExporter } = require('@opentelemetry/sdk-trace');

const exporter = new InMemorySpanExporter();
const telemetry = platform.startTelemetry({ serviceName: 'fixture-svc', spanExporter: exporter });

const http = require('node:http');
const grpc = require('@grpc/grpc-js');

const json = (v) => Buffer.from(JSON.stringify(v));
const parse = (b) => JSON.parse(b.toString());
const Echo = {
  echo: { path: '/enclave.test.v1.Echo/Echo', requestStream: false, responseStream: false,
    requestSerialize: json, requestDeserialize: parse, responseSerialize: json, responseDeserialize: parse },
};
const EchoClient = grpc.makeGenericClientConstructor(Echo, 'Echo');

async function main() {
  let logs = '';
  const logger = platform.createLogger({ service: 'fixture-svc', destination: new Writable({ write: (c, _e, d) => { logs += c; d(); } }) });
  const keys = platform.generateServiceKeypair();
  const host = new platform.GrpcServerHost({ serviceName: 'fixture-svc', trust: new platform.ServiceTrust({ caller: keys.publicKey }), logger });
  host.addService(Echo, { echo: async (req) => ({ text: req.text, traceparent: platform.currentTraceparent().traceparent }) });
  const grpcPort = await host.start('127.0.0.1', 0);
  const client = platform.createGrpcClient(EchoClient, `127.0.0.1:${grpcPort}`, {
    identity: platform.loadServiceIdentity('caller', keys.privateKey), audience: 'fixture-svc', defaultDeadlineMs: 5000,
  });

  const server = http.createServer(async (req, res) => {
    logger.info('handling request');
    const reply = await client.call('echo', { text: 'hi' });
    res.end(JSON.stringify({ http: platform.currentTraceparent().traceparent, grpc: reply.traceparent }));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const body = await new Promise((resolve, reject) => {
    http.get(`http://127.0.0.1:${server.address().port}/chat`, (res) => {
      let data = '';
      res.on('data', (c) => (data += c));
      res.on('end', () => resolve(JSON.parse(data)));
    }).on('error', reject);
  });
  await new Promise((resolve) => setImmediate(resolve));
  const spans = exporter.getFinishedSpans().map((s) => ({
    name: s.name, kind: s.kind, traceId: s.spanContext().traceId, service: s.resource.attributes['service.name'],
    caller: s.attributes['enclave.caller.service'],
  }));
  client.close();
  server.close();
  await host.stop();
  await telemetry.shutdown();
  process.stdout.write(JSON.stringify({ body, spans, log: JSON.parse(logs.trim().split('\n')[0]) }));
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack));
  process.exit(1);
});
