import { GrpcError, GrpcStatus, UnavailableError, type GrpcClient } from '@enclave/platform';
import type { keyVaultV1 } from '@enclave/proto';
import type { SubjectKey } from './field-cipher';
import type { SubjectKeySource } from './personal-fields';

/** key-vault's SubjectKeyService.GetSubjectKey, called with this service's identity. */
export class GrpcSubjectKeySource implements SubjectKeySource {
  constructor(private readonly client: GrpcClient<typeof keyVaultV1.SubjectKeyServiceService>) {}

  async fetch(tenantId: string, subjectId: string, create: boolean): Promise<SubjectKey | 'shredded' | undefined> {
    try {
      const response = await this.client.call('getSubjectKey', { tenantId, subjectId, create }, { idempotent: true });
      return { keyId: response.keyId, key: Buffer.from(response.key) };
    } catch (error) {
      if (error instanceof GrpcError && error.code === GrpcStatus.FAILED_PRECONDITION) return 'shredded';
      if (error instanceof GrpcError && error.code === GrpcStatus.NOT_FOUND) return undefined;
      throw new UnavailableError('personal data cannot be read or written right now');
    }
  }
}
