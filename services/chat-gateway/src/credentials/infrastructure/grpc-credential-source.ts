import { GrpcError, GrpcStatus, UnavailableError, type GrpcClient, type Logger } from '@enclave/platform';
import type { keyVaultV1 } from '@enclave/proto';
import { NoProviderKeyError, type CredentialSource, type ProviderCredential } from '../application/credential-cache';

/**
 * Cache misses only: KeyVaultService.GetProviderCredential, called with chat-gateway's service
 * identity (the only one key-vault answers with plaintext). Not retried here: every answer is
 * an audited decryption, and the member can simply send again.
 */
export class GrpcCredentialSource implements CredentialSource {
  constructor(
    private readonly client: GrpcClient<typeof keyVaultV1.KeyVaultServiceService>,
    private readonly logger: Logger,
  ) {}

  async fetch(tenantId: string): Promise<ProviderCredential> {
    try {
      const response = await this.client.call('getProviderCredential', { tenantId, keyId: '', keyVersion: 0 });
      if (!response.apiKey) throw new NoProviderKeyError();
      return {
        keyId: response.keyId,
        keyVersion: response.keyVersion,
        provider: response.provider,
        baseUrl: response.baseUrl,
        apiKey: response.apiKey,
      };
    } catch (error) {
      if (error instanceof NoProviderKeyError) throw error;
      if (error instanceof GrpcError && error.code === GrpcStatus.NOT_FOUND) throw new NoProviderKeyError();
      if (error instanceof GrpcError && (error.code === GrpcStatus.PERMISSION_DENIED || error.code === GrpcStatus.UNAUTHENTICATED)) {
        this.logger.error({ code: error.codeName }, 'key-vault refused chat-gateway: check SERVICE_PRIVATE_KEY and key-vault trust');
      }
      throw new UnavailableError('the provider key cannot be read right now');
    }
  }
}
