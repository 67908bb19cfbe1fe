// Does one chat request make ONE trace across HTTP (gateway), gRPC (gateway → key-vault) and Kafka (UsageRecorded → billing and audit)?
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { uniqueName, waitFor } from '@enclave/testing';
import { runGroupIds, skipKafkaBacklog } from './support/kafka-backlog';
import { OtlpReceiver, SPAN_KIND, type ReceivedSpan } from './support/otlp-receiver';
import { localUrls, provisionTenant, type ProvisionedTenant } from './support/provision';
import { openSseStream } from './support/sse-stream';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const stack = require('../../scripts/local-stack.js');

const PORT_BASE = 19100;
const run = uniqueName('tr').replace(/[^a-z0-9]/gi, '').toLowerCase();
const dbPrefix = `tr${run.slice(-10)}`;
const logDir = path.join(__dirname, '../../.enclave/logs', dbPrefix);
const CHAT_TOPIC = 'enclave.chat-gateway.events.v1';

jest.setTimeout(120_000);

/** One line per span, for failure messages: service kind name (parent ← id). */
const describeSpans = (spans: ReceivedSpan[]) =>
  spans.map((s) => `${s.service} kind=${s.kind} "${s.name}" ${s.parentSpanId || 'root'} <- ${s.spanId}`).join('\n');

describe('one trace across HTTP, gRPC and Kafka', () => {
  const receiver = new OtlpReceiver();
  let running: { stop: () => Promise<void> } | undefined;
  let tenant: ProvisionedTenant;
  // The test is the caller: its own traceparent makes the chat's trace id known in advance.
  const traceId = randomBytes(16).toString('hex');
  const callerSpanId = randomBytes(8).toString('hex');
  const inTrace = () => receiver.trace(traceId);

  beforeAll(async () => {
    const endpoint = await receiver.start();
    // Spans leave in batches every 5 s: platform's startTelemetry builds its BatchSpanProcessor
    // with defaults, and @opentelemetry/sdk-trace 3.x no longer reads OTEL_BSP_SCHEDULE_DELAY.
    const otel = { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint };
    await skipKafkaBacklog({ brokers: stack.readInfraEnv().KAFKA_BROKERS.split(','), groupIds: runGroupIds(stack.SERVICES, dbPrefix) });
    running = await stack.startStack({
      portBase: PORT_BASE,
      dbPrefix,
      groupSuffix: dbPrefix,
      logDir,
      readyTimeoutMs: 90_000,
      authFirst: true,
      extra: Object.fromEntries(stack.SERVICES.map((name: string) => [name, otel])),
    });
    const ports = stack.ports(PORT_BASE);
    tenant = await provisionTenant({
      urlFor: localUrls(ports),
      smtpApiUrl: stack.readInfraEnv().SMTP_API_URL,
      operatorToken: stack.loadSecrets().operatorToken,
      upstreamUrl: `http://127.0.0.1:${ports.upstream}/v1`,
      label: run,
    });
    // The tenant's first chat: the gateway's credential cache is cold, so it asks key-vault.
    const member = tenant.members[0]!;
    const chat = openSseStream(`http://127.0.0.1:${ports['chat-gateway'].http}/v1/conversations/${member.conversations[0]}/messages`, {
      token: member.token,
      body: { content: 'trace me across the hops' },
      headers: { traceparent: `00-${traceId}-${callerSpanId}-01` },
    });
    const result = await chat.result;
    expect(result.status).toBe(200);
    expect(result.events.some((e) => e.event === 'done')).toBe(true);
  }, 180_000);

  afterAll(async () => {
    await running?.stop();
    await receiver.stop();
  }, 30_000);

  it('every service exports OTLP JSON to the endpoint it was given', async () => {
    await waitFor(
      () => {
        const services = new Set(receiver.spans.map((s) => s.service));
        return stack.SERVICES.every((name: string) => services.has(name));
      },
      { timeoutMs: 30_000, intervalMs: 250, description: `spans from all of ${stack.SERVICES.join(', ')}` },
    ).catch((error: Error) => {
      throw new Error(`${error.message}; got spans from: ${[...new Set(receiver.spans.map((s) => s.service))].join(', ')}`);
    });
    expect(receiver.refused).toEqual([]);
  });

  it("the gateway's HTTP server span continues the caller's trace", async () => {
    const server = await waitFor(
      () => inTrace().find((s) => s.service === 'chat-gateway' && s.kind === SPAN_KIND.SERVER && s.parentSpanId === callerSpanId),
      { timeoutMs: 30_000, intervalMs: 250, description: "the gateway's HTTP server span" },
    );
    expect(String(server.attributes['http.route'] ?? server.attributes['url.path'] ?? server.name)).toMatch(/messages/);
  });

  it('gateway → key-vault over gRPC: a client span in chat-gateway, the server span in key-vault under it', async () => {
    const isKeyVaultRpc = (s: ReceivedSpan) => String(s.attributes['rpc.system']) === 'grpc' && /keyvault|key_vault/i.test(s.name);
    const pair = await waitFor(
      () => {
        const spans = inTrace();
        const client = spans.find((s) => s.service === 'chat-gateway' && s.kind === SPAN_KIND.CLIENT && isKeyVaultRpc(s));
        const server = client && spans.find((s) => s.service === 'key-vault' && s.kind === SPAN_KIND.SERVER && s.parentSpanId === client.spanId);
        return client && server ? { client, server } : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 250, description: 'the gRPC client/server span pair' },
    ).catch((error: Error) => {
      throw new Error(`${error.message}\nspans in the trace:\n${describeSpans(inTrace())}`);
    });
    expect(pair.server.name).toBe(pair.client.name);
  });

  for (const consumer of ['billing', 'audit']) {
    it(`UsageRecorded reaches ${consumer} in the same trace: a consumer-side span for the chat-gateway topic`, async () => {
      const span = await waitFor(
        () =>
          inTrace().find(
            (s) => s.service === consumer && s.kind === SPAN_KIND.CONSUMER && s.attributes['messaging.destination.name'] === CHAT_TOPIC,
          ),
        { timeoutMs: 60_000, intervalMs: 250, description: `a ${consumer} consumer span in the chat's trace` },
      ).catch((error: Error) => {
        const elsewhere = receiver.spans.filter(
          (s) => s.service === consumer && s.kind === SPAN_KIND.CONSUMER && s.attributes['messaging.destination.name'] === CHAT_TOPIC,
        );
        const sample = elsewhere.slice(-3).map((s) => {
          const parent = receiver.spans.find((p) => p.spanId === s.parentSpanId);
          return `${s.traceId}: parent ${parent ? `${parent.service} "${parent.name}" (parent ${parent.parentSpanId || 'root'})` : s.parentSpanId || 'none'}`;
        });
        throw new Error(
          `${error.message}\n${consumer} consumed ${CHAT_TOPIC} in ${elsewhere.length} span(s) of other traces, latest:\n` +
            `${sample.join('\n') || 'none'}\nspans in the chat's trace:\n${describeSpans(inTrace())}`,
        );
      });
      expect(span.attributes['enclave.event.type'] ?? 'UsageRecorded').toMatch(/UsageRecorded$/);
      const spans = inTrace();
      const parent = spans.find((s) => s.spanId === span.parentSpanId);
      expect(parent?.service ?? 'not in trace').toBe('chat-gateway');
    });
  }
});
