import type { ProviderClient, UpstreamEvent, UpstreamRequest } from '../../chat/application/provider-client';
import type { ProviderClientFactory, ProviderHandle } from '../../credentials/application/credential-cache';
import { RawUpstream } from './raw-upstream';

/**
 * The client the credential cache keeps for a tenant's key: the conversation path's SDK client
 * plus a raw relay to the same endpoint for the OpenAI-compatible API. One cache, one
 * decryption per ttl, one invalidation (rotation, deletion, rejected key) for both paths.
 */
export class DualProviderClient implements ProviderClient {
  constructor(
    readonly sdk: ProviderClient,
    readonly raw: RawUpstream,
  ) {}

  open(request: UpstreamRequest, signal: AbortSignal): Promise<AsyncIterable<UpstreamEvent>> {
    return this.sdk.open(request, signal);
  }
}

/** Wraps the runtime's client factory (composition): every cached client gains the raw relay. */
export function withRawUpstream(factory: ProviderClientFactory): ProviderClientFactory {
  return (credential) => new DualProviderClient(factory(credential), new RawUpstream(credential));
}

export function rawUpstreamOf(handle: ProviderHandle): RawUpstream | undefined {
  return handle.client instanceof DualProviderClient ? handle.client.raw : undefined;
}
