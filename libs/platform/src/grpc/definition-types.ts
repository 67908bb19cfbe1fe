// Types that read request/response types off ts-proto `outputServices=grpc-js` service
// definitions (`XServiceService` objects, `as const`) or hand-built grpc.ServiceDefinitions.

/** One method of a service definition, as grpc-js and ts-proto describe it. */
export interface MethodDefinitionLike {
  readonly path: string;
  readonly requestStream: boolean;
  readonly responseStream: boolean;
  requestSerialize(value: never): Buffer;
  requestDeserialize(bytes: Buffer): unknown;
  responseSerialize(value: never): Buffer;
  responseDeserialize(bytes: Buffer): unknown;
}

export type ServiceDefinitionLike = { readonly [method: string]: MethodDefinitionLike };

export type RequestOf<M> = M extends { requestDeserialize(bytes: Buffer): infer R } ? R : never;
export type ResponseOf<M> = M extends { responseDeserialize(bytes: Buffer): infer R } ? R : never;

/** Method names of D that are unary (no request or response stream). */
export type UnaryMethodName<D extends ServiceDefinitionLike> = {
  [K in keyof D & string]: D[K] extends { readonly requestStream: false; readonly responseStream: false } ? K : never;
}[keyof D & string];

/** Metadata key carrying the caller's signed service token. */
export const SERVICE_TOKEN_METADATA_KEY = 'x-enclave-service-token';
