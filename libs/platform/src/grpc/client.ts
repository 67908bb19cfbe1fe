import * as grpc from '@grpc/grpc-js';
import { ServiceTokenIssuer, type ServiceIdentity } from '../identity/service-identity';
import { SERVICE_TOKEN_METADATA_KEY, type RequestOf, type ResponseOf, type ServiceDefinitionLike, type UnaryMethodName } from './definition-types';
import { GrpcError } from './grpc-error';

/** A ts-proto generated `XServiceClient` constructor (or grpc.makeGenericClientConstructor's). */
export interface GrpcClientConstructor<D extends ServiceDefinitionLike> {
  new (address: string, credentials: grpc.ChannelCredentials, options?: Partial<grpc.ClientOptions>): grpc.Client;
  service: D;
}

export interface GrpcClientOptions {
  identity: ServiceIdentity;
  /** Name of the service being called (the audience of our service tokens). */
  audience: string;
  defaultDeadlineMs: number;
  credentials?: grpc.ChannelCredentials;
  channelOptions?: Partial<grpc.ClientOptions>;
  /** Attempts for idempotent calls, including the first (default 3). */
  maxAttempts?: number;
  /** First retry delay; doubles each time, with jitter (default 50 ms). */
  retryBaseDelayMs?: number;
  tokenIssuer?: ServiceTokenIssuer;
}

export interface CallOptions {
  deadlineMs?: number;
  /** Safe to repeat: retried on UNAVAILABLE and DEADLINE_EXCEEDED. */
  idempotent?: boolean;
  signal?: AbortSignal;
  metadata?: grpc.Metadata;
}

const RETRYABLE = new Set<grpc.status>([grpc.status.UNAVAILABLE, grpc.status.DEADLINE_EXCEEDED]);

/** Promise-based unary calls that always carry a deadline and this service's token. */
export class GrpcClient<D extends ServiceDefinitionLike> {
  private readonly client: grpc.Client;
  private readonly tokens: ServiceTokenIssuer;

  constructor(
    private readonly definition: D,
    client: grpc.Client,
    private readonly options: GrpcClientOptions,
  ) {
    this.client = client;
    this.tokens = options.tokenIssuer ?? new ServiceTokenIssuer(options.identity);
  }

  async call<K extends UnaryMethodName<D>>(method: K, request: RequestOf<D[K]>, options: CallOptions = {}): Promise<ResponseOf<D[K]>> {
    const attempts = options.idempotent ? Math.max(1, this.options.maxAttempts ?? 3) : 1;
    const baseDelay = this.options.retryBaseDelayMs ?? 50;
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.once(method, request, options);
      } catch (error) {
        const retry = error instanceof GrpcError && RETRYABLE.has(error.code) && attempt < attempts && !options.signal?.aborted;
        if (!retry) throw error;
        const delay = baseDelay * 2 ** (attempt - 1);
        await new Promise((resolve) => setTimeout(resolve, delay / 2 + Math.random() * (delay / 2)));
      }
    }
  }

  close(): void {
    this.client.close();
  }

  private once<K extends UnaryMethodName<D>>(method: K, request: RequestOf<D[K]>, options: CallOptions): Promise<ResponseOf<D[K]>> {
    const definition = this.definition[method];
    if (!definition) return Promise.reject(new GrpcError(grpc.status.UNIMPLEMENTED, `unknown method ${method}`));
    if (options.signal?.aborted) return Promise.reject(new GrpcError(grpc.status.CANCELLED, 'call aborted before it started'));
    const metadata = options.metadata?.clone() ?? new grpc.Metadata();
    metadata.set(SERVICE_TOKEN_METADATA_KEY, this.tokens.tokenFor(this.options.audience));
    const deadline = Date.now() + (options.deadlineMs ?? this.options.defaultDeadlineMs);

    return new Promise((resolve, reject) => {
      const call = this.client.makeUnaryRequest<RequestOf<D[K]>, ResponseOf<D[K]>>(
        definition.path,
        (value) => definition.requestSerialize(value as never),
        (bytes) => definition.responseDeserialize(bytes) as ResponseOf<D[K]>,
        request,
        metadata,
        { deadline },
        (error, response) => {
          options.signal?.removeEventListener('abort', onAbort);
          if (error) reject(new GrpcError(error.code ?? grpc.status.UNKNOWN, error.details || error.message, error.metadata));
          else resolve(response as ResponseOf<D[K]>);
        },
      );
      const onAbort = () => call.cancel();
      options.signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}

/** A client for one service at `address` (host:port), from its generated client constructor. */
export function createGrpcClient<D extends ServiceDefinitionLike>(
  ClientCtor: GrpcClientConstructor<D>,
  address: string,
  options: GrpcClientOptions,
): GrpcClient<D> {
  const client = new ClientCtor(address, options.credentials ?? grpc.credentials.createInsecure(), options.channelOptions);
  return new GrpcClient(ClientCtor.service, client, options);
}
