import { authV1 } from '@enclave/proto';
import { GrpcError, GrpcStatus, UnavailableError, ValidationError, type GrpcClient, type Logger } from '@enclave/platform';
import type { AccountRegistry } from '../application';

export type AuthClient = GrpcClient<typeof authV1.AuthServiceService>;

/**
 * Auth's RegisterAccount over gRPC (deadline and service token added by the client). It is
 * idempotent per (tenant, email), so the client may retry it on UNAVAILABLE. Failures become
 * errors whose messages never carry the email or name.
 */
export class AuthAccountRegistry implements AccountRegistry {
  constructor(
    private readonly client: AuthClient,
    private readonly deadlineMs = 5000,
    private readonly logger?: Pick<Logger, 'warn'>,
  ) {}

  async registerAccount(input: { tenantId: string; email: string; displayName: string }): Promise<{ subjectId: string }> {
    let response: authV1.RegisterAccountResponse;
    try {
      response = await this.client.call(
        'registerAccount',
        { tenantId: input.tenantId, email: input.email, displayName: input.displayName },
        { idempotent: true, deadlineMs: this.deadlineMs },
      );
    } catch (error) {
      // The status only: auth's message could quote what it refused.
      this.logger?.warn({ grpcCode: error instanceof GrpcError ? error.codeName : 'none' }, 'auth RegisterAccount failed');
      if (error instanceof GrpcError && error.code === GrpcStatus.INVALID_ARGUMENT) {
        throw new ValidationError('the account details were refused by auth');
      }
      throw new UnavailableError('the account service is unavailable; try again shortly');
    }
    if (!response.subjectId) throw new UnavailableError('the account service answered without a subject id');
    return { subjectId: response.subjectId };
  }
}
