// Over real loopback gRPC: are calls authenticated, authorized, deadline-bound and errors mapped to the right status?
import * as grpc from '@grpc/grpc-js';
import { Writable } from 'node:stream';
import { NotFoundError, UnavailableError } from '../errors/app-errors';
import { generateServiceKeypair } from '../identity/keys';
import { loadServiceIdentity } from '../identity/service-identity';
import { ServiceTrust } from '../identity/service-trust';
import { createLogger } from '../logging/create-logger';
import { createGrpcClient, type GrpcClient } from './client';
import { GrpcError } from './grpc-error';
import { GrpcServerHost, type GrpcCallContext } from './server-host';

interface EchoRequest { text: string; delayMs?: number }
interface EchoResponse { text: string; caller: string }

const json = {
  serialize: (value: unknown) => Buffer.from(JSON.stringify(value)),
  deserialize: (bytes: Buffer) => JSON.parse(bytes.toString()) as never,
};
function unary<Req, Res>(path: string) {
  return {
    path,
    requestStream: false as const,
    responseStream: false as const,
    requestSerialize: (value: Req) => json.serialize(value),
    requestDeserialize: (bytes: Buffer): Req => json.deserialize(bytes),
    responseSerialize: (value: Res) => json.serialize(value),
    responseDeserialize: (bytes: Buffer): Res => json.deserialize(bytes),
  };
}
const TestService = {
  echo: unary<EchoRequest, EchoResponse>('/enclave.test.v1.TestService/Echo'),
  find: unary<{ id: string }, EchoResponse>('/enclave.test.v1.TestService/Find'),
  admin: unary<EchoRequest, EchoResponse>('/enclave.test.v1.TestService/Admin'),
  flaky: unary<{ key: string }, { attempts: number }>('/enclave.test.v1.TestService/Flaky'),
  boom: unary<EchoRequest, EchoResponse>('/enclave.test.v1.TestService/Boom'),
};
const TestServiceClient = grpc.makeGenericClientConstructor(TestService, 'TestService') as unknown as {
  new (address: string, credentials: grpc.ChannelCredentials, options?: Partial<grpc.ClientOptions>): grpc.Client;
  service: typeof TestService;
};

const gatewayKeys = generateServiceKeypair();
const billingKeys = generateServiceKeypair();
const gateway = loadServiceIdentity('chat-gateway', gatewayKeys.privateKey);
const billing = loadServiceIdentity('billing', billingKeys.privateKey);
let logged = '';
const logger = createLogger({ service: 'key-vault', level: 'error', destination: new Writable({ write: (c, _e, done) => ((logged += c.toString()), done()) }) });

const flakyAttempts = new Map<string, number>();
let reportAbort: () => void = () => undefined;
const handlerAborted = new Promise<void>((resolve) => (reportAbort = resolve));
const host = new GrpcServerHost({
  serviceName: 'key-vault',
  trust: new ServiceTrust({ 'chat-gateway': gatewayKeys.publicKey, billing: billingKeys.publicKey }),
  logger,
  shutdownGraceMs: 500,
});
host.addService(TestService, {
  echo: async (req: EchoRequest, ctx: GrpcCallContext) => {
    if (req.delayMs) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, req.delayMs);
        ctx.signal.addEventListener('abort', () => {
          reportAbort();
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return { text: req.text, caller: ctx.caller };
  },
  find: async ({ id }) => {
    throw new NotFoundError(`credential ${id} not found`);
  },
  admin: async (req, ctx) => ({ text: req.text, caller: ctx.caller }),
  flaky: async ({ key }) => {
    const attempts = (flakyAttempts.get(key) ?? 0) + 1;
    flakyAttempts.set(key, attempts);
    if (attempts < 3) throw new UnavailableError('warming up');
    return { attempts };
  },
  boom: async () => {
    throw new Error('driver exploded with mongodb://root:hunter2@db');
  },
}, { methodCallers: { admin: ['billing'] } });

let address: string;
let asGateway: GrpcClient<typeof TestService>;
let asBilling: GrpcClient<typeof TestService>;

beforeAll(async () => {
  const port = await host.start('127.0.0.1', 0);
  address = `127.0.0.1:${port}`;
  asGateway = createGrpcClient(TestServiceClient, address, { identity: gateway, audience: 'key-vault', defaultDeadlineMs: 2000, retryBaseDelayMs: 5 });
  asBilling = createGrpcClient(TestServiceClient, address, { identity: billing, audience: 'key-vault', defaultDeadlineMs: 2000 });
});

afterAll(async () => {
  asGateway.close();
  asBilling.close();
  await host.stop();
});

async function failure(promise: Promise<unknown>): Promise<GrpcError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  if (!(error instanceof GrpcError)) throw new Error(`expected a GrpcError, got ${String(error)}`);
  return error;
}

describe('GrpcServerHost + createGrpcClient', () => {
  it('answers an authenticated call with the verified caller name', async () => {
    await expect(asGateway.call('echo', { text: 'hi' })).resolves.toEqual({ text: 'hi', caller: 'chat-gateway' });
  });

  it('rejects calls without a service token as UNAUTHENTICATED', async () => {
    const raw = new TestServiceClient(address, grpc.credentials.createInsecure());
    const error = await new Promise<grpc.ServiceError>((resolve) =>
      raw.makeUnaryRequest(TestService.echo.path, TestService.echo.requestSerialize, TestService.echo.responseDeserialize, { text: 'x' },
        new grpc.Metadata(), { deadline: Date.now() + 2000 }, (e) => resolve(e!)),
    );
    raw.close();
    expect(error.code).toBe(grpc.status.UNAUTHENTICATED);
    expect(error.details).toContain('missing service token');
  });

  it('rejects tokens addressed to another service as UNAUTHENTICATED', async () => {
    const misaddressed = createGrpcClient(TestServiceClient, address, { identity: gateway, audience: 'billing', defaultDeadlineMs: 2000 });
    const error = await failure(misaddressed.call('echo', { text: 'x' }));
    misaddressed.close();
    expect(error.code).toBe(grpc.status.UNAUTHENTICATED);
    expect(error.message).toBe('service token rejected: token audience does not match');
  });

  it('answers PERMISSION_DENIED to a trusted caller not allowed on the method', async () => {
    const error = await failure(asGateway.call('admin', { text: 'x' }));
    expect(error.code).toBe(grpc.status.PERMISSION_DENIED);
    expect(error.message).toContain('chat-gateway');
    await expect(asBilling.call('admin', { text: 'ok' })).resolves.toEqual({ text: 'ok', caller: 'billing' });
  });

  it('maps a thrown NotFoundError to NOT_FOUND with its message', async () => {
    const error = await failure(asGateway.call('find', { id: 'c-1' }));
    expect(error.code).toBe(grpc.status.NOT_FOUND);
    expect(error.message).toBe('credential c-1 not found');
  });

  it('ends slow calls with DEADLINE_EXCEEDED and aborts the handler signal', async () => {
    const error = await failure(asGateway.call('echo', { text: 'slow', delayMs: 5000 }, { deadlineMs: 100 }));
    expect(error.code).toBe(grpc.status.DEADLINE_EXCEEDED);
    await handlerAborted; // the handler saw ctx.signal abort instead of running its 5 s

  });

  it('hides unexpected errors behind INTERNAL and logs them redacted', async () => {
    const error = await failure(asGateway.call('boom', { text: 'x' }));
    expect(error.code).toBe(grpc.status.INTERNAL);
    expect(error.message).toBe('internal error');
    expect(logged).toContain('driver exploded');
    expect(logged).not.toContain('hunter2');
  });

  it('retries UNAVAILABLE only for calls marked idempotent', async () => {
    const once = await failure(asGateway.call('flaky', { key: 'a' }));
    expect(once.code).toBe(grpc.status.UNAVAILABLE);
    expect(flakyAttempts.get('a')).toBe(1);
    await expect(asGateway.call('flaky', { key: 'b' }, { idempotent: true })).resolves.toEqual({ attempts: 3 });
  });

  it('cancels a call when the caller aborts', async () => {
    const controller = new AbortController();
    const pending = asGateway.call('echo', { text: 'x', delayMs: 5000 }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    expect((await failure(pending)).code).toBe(grpc.status.CANCELLED);
  });
});
