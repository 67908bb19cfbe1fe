import * as grpc from '@grpc/grpc-js';
import { trace } from '@opentelemetry/api';
import type { Logger } from 'pino';
import { TokenError } from '../identity/jwt-errors';
import { verifyServiceToken, type ServiceTrust } from '../identity/service-trust';
import { ATTR_CALLER_SERVICE } from '../telemetry/attributes';
import { SERVICE_TOKEN_METADATA_KEY, type RequestOf, type ResponseOf, type ServiceDefinitionLike, type UnaryMethodName } from './definition-types';
import { callSignal } from './call-signal';
import { GrpcError, toGrpcError } from './grpc-error';

export interface GrpcCallContext {
  /** Calling service, verified from its service token. */
  caller: string;
  /** Full method path, e.g. /enclave.key_vault.v1.KeyVaultService/GetCredential. */
  path: string;
  deadline: Date | undefined;
  metadata: grpc.Metadata;
  /** Aborted when the client cancels or the deadline passes: stop work, the answer is unwanted. */
  signal: AbortSignal;
}

export type UnaryHandlers<D extends ServiceDefinitionLike> = {
  [K in UnaryMethodName<D>]: (request: RequestOf<D[K]>, ctx: GrpcCallContext) => Promise<ResponseOf<D[K]>>;
};

export interface AddServiceOptions<D extends ServiceDefinitionLike> {
  /** Services allowed to call every method (default: any trusted service). */
  callers?: readonly string[];
  /** Per-method allow lists; override `callers` for that method. */
  methodCallers?: Partial<Record<UnaryMethodName<D>, readonly string[]>>;
}

export interface GrpcServerHostOptions {
  /** This service's name: the audience service tokens must be addressed to. */
  serviceName: string;
  trust: ServiceTrust;
  logger: Logger;
  /** Time to let in-flight calls finish on stop() before cancelling them (default 5000 ms). */
  shutdownGraceMs?: number;
  serverOptions?: grpc.ServerOptions;
  now?: () => number;
}

/** A grpc-js server whose handlers are `async (request, ctx) => response` behind service auth. */
export class GrpcServerHost {
  private readonly server: grpc.Server;
  private boundPort: number | undefined;

  constructor(private readonly options: GrpcServerHostOptions) {
    this.server = new grpc.Server(options.serverOptions);
  }

  addService<D extends ServiceDefinitionLike>(definition: D, handlers: UnaryHandlers<D>, access: AddServiceOptions<D> = {}): this {
    const implementation: grpc.UntypedServiceImplementation = {};
    for (const [name, method] of Object.entries(definition)) {
      if (method.requestStream || method.responseStream) {
        throw new Error(`GrpcServerHost supports unary methods only; ${method.path} streams`);
      }
      const handler = (handlers as Record<string, (request: unknown, ctx: GrpcCallContext) => Promise<unknown>>)[name];
      if (typeof handler !== 'function') throw new Error(`no handler for ${method.path}`);
      const allowed = (access.methodCallers as Record<string, readonly string[]> | undefined)?.[name] ?? access.callers;
      implementation[name] = this.wrap(method.path, handler, allowed);
    }
    this.server.addService(definition as unknown as grpc.ServiceDefinition, implementation);
    return this;
  }

  /** Binds and serves; returns the bound port (useful with port 0). */
  async start(host: string, port: number, credentials = grpc.ServerCredentials.createInsecure()): Promise<number> {
    const address = host.includes(':') && !host.startsWith('[') ? `[${host}]:${port}` : `${host}:${port}`;
    this.boundPort = await new Promise<number>((resolve, reject) =>
      this.server.bindAsync(address, credentials, (error, bound) => (error ? reject(error) : resolve(bound))),
    );
    return this.boundPort;
  }

  get port(): number | undefined {
    return this.boundPort;
  }

  /** Stops accepting calls, waits up to the grace period for in-flight ones, then cancels them. */
  async stop(graceMs = this.options.shutdownGraceMs ?? 5000): Promise<void> {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.server.forceShutdown();
        resolve();
      }, graceMs);
      this.server.tryShutdown(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private wrap(
    path: string,
    handler: (request: unknown, ctx: GrpcCallContext) => Promise<unknown>,
    allowed: readonly string[] | undefined,
  ): grpc.handleUnaryCall<unknown, unknown> {
    return (call, callback) => {
      void this.handle(path, handler, allowed, call).then(
        (response) => callback(null, response),
        (error: unknown) => {
          const mapped = toGrpcError(error);
          if (mapped.unexpected) this.options.logger.error({ err: error, grpcPath: path }, 'gRPC handler failed');
          callback({ code: mapped.error.code, details: mapped.error.message, metadata: mapped.error.metadata ?? new grpc.Metadata() });
        },
      );
    };
  }

  private async handle(
    path: string,
    handler: (request: unknown, ctx: GrpcCallContext) => Promise<unknown>,
    allowed: readonly string[] | undefined,
    call: grpc.ServerUnaryCall<unknown, unknown>,
  ): Promise<unknown> {
    const caller = this.authenticate(call.metadata);
    trace.getActiveSpan()?.setAttribute(ATTR_CALLER_SERVICE, caller);
    if (allowed && !allowed.includes(caller)) {
      throw new GrpcError(grpc.status.PERMISSION_DENIED, `service ${caller} may not call ${path}`);
    }
    const { signal, deadline, dispose } = callSignal(call, this.options.now ?? Date.now);
    try {
      return await handler(call.request, { caller, path, deadline, metadata: call.metadata, signal });
    } finally {
      dispose();
    }
  }

  private authenticate(metadata: grpc.Metadata): string {
    const [token] = metadata.get(SERVICE_TOKEN_METADATA_KEY);
    if (typeof token !== 'string' || token === '') {
      throw new GrpcError(grpc.status.UNAUTHENTICATED, `missing service token (${SERVICE_TOKEN_METADATA_KEY} metadata)`);
    }
    try {
      return verifyServiceToken(token, this.options.serviceName, this.options.trust, { now: this.options.now });
    } catch (error) {
      if (error instanceof TokenError) throw new GrpcError(grpc.status.UNAUTHENTICATED, `service token rejected: ${error.message}`);
      throw error;
    }
  }
}
