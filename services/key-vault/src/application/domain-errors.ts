import { ConflictError, NotFoundError } from '@enclave/platform';
import { SecretAlreadyExists, SecretNotFound, StaleRotation } from '../domain/secret/secret-errors';
import { DataKeyDestroyed } from './secret-vault';

/**
 * Domain refusals as the platform's errors (HTTP/gRPC status mapping). A destroyed data key reads
 * as "not found": a shredded secret is gone. SecretVersionRetiredError passes through: the gRPC
 * edge answers it with FAILED_PRECONDITION.
 */
export async function withAppErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof SecretNotFound) throw new NotFoundError(error.message);
    if (error instanceof DataKeyDestroyed) throw new NotFoundError('secret not found');
    if (error instanceof SecretAlreadyExists || error instanceof StaleRotation) throw new ConflictError(error.message);
    throw error;
  }
}
