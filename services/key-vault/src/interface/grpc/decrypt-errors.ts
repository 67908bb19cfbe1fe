import { GrpcError, GrpcStatus } from '@enclave/platform';
import type { Logger } from 'pino';
import { DecryptionFailed } from '../../domain/crypto/sealed-box';
import { MalformedCredential } from '../../domain/provider-key/provider-credential';
import { SecretVersionRetiredError } from '../../domain/secret/secret-errors';

/**
 * The decrypt path's failures as gRPC statuses, with messages that never contain plaintext:
 * a retired version and undecryptable data (wrong KEK, altered ciphertext or binding) are
 * FAILED_PRECONDITION; not found, bad input and the rest map as usual.
 */
export async function translateDecryptErrors<T>(
  work: () => Promise<T>,
  context: { logger: Logger; tenantId: string; secretId: string; what: string },
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof SecretVersionRetiredError) {
      throw new GrpcError(GrpcStatus.FAILED_PRECONDITION, `${context.what} version ${error.version} is retired and can no longer be decrypted`);
    }
    if (error instanceof DecryptionFailed || error instanceof MalformedCredential) {
      context.logger.error(
        { err: `${error.name}: ${error.message}`, tenantId: context.tenantId, secretId: context.secretId },
        `${context.what} cannot be decrypted`,
      );
      throw new GrpcError(
        GrpcStatus.FAILED_PRECONDITION,
        `the stored ${context.what} cannot be decrypted with the configured key-encryption keys (wrong KEK or altered data)`,
      );
    }
    throw error;
  }
}
