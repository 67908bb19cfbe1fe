import { z } from 'zod';
import type { authV1 } from '@enclave/proto';
import type { UnaryHandlers } from '@enclave/platform';
import type { RegisterAccount } from '../application/register-account';
import type { SessionSigner } from '../../sessions/application/session-signer';
import { emailSchema, tenantIdSchema } from '../../shared/interface/input-schemas';

/** Only tenant creates accounts; any trusted service may fetch the signing keys. */
export const AUTH_METHOD_CALLERS = { registerAccount: ['tenant'] } as const;

const registerAccountSchema = z.object({
  tenantId: tenantIdSchema,
  email: emailSchema,
  displayName: z.string().trim().max(200, 'at most 200 characters'),
});

export function authGrpcHandlers(registerAccount: RegisterAccount, signer: SessionSigner): UnaryHandlers<typeof authV1.AuthServiceService> {
  return {
    registerAccount: async (request, ctx) => {
      // A ZodError becomes INVALID_ARGUMENT naming the fields, never their values.
      const input = registerAccountSchema.parse(request);
      return registerAccount.execute(input, { kind: 'service', name: ctx.caller });
    },
    getSigningKeys: async () => ({ jwksJson: JSON.stringify(signer.jwks()) }),
  };
}
