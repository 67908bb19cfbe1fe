import { z } from 'zod';
import { isTenantId } from '@enclave/eventing';
import { PROVIDERS, requiresBaseUrl } from '../../domain/provider-key/providers';

// Request shapes of the provider-key API. Messages describe the rule, never the value sent.

export const tenantParams = z.object({
  tenantId: z.string().refine(isTenantId, 'expected a tenant id'),
});

export const storeProviderKeyBody = z
  .strictObject({
    provider: z.enum(PROVIDERS),
    label: z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .max(100, 'must be at most 100 characters')
      .regex(/^[^\p{Cc}]*$/u, 'must not contain control characters'),
    apiKey: z
      .string()
      .min(8, 'must be at least 8 characters')
      .max(500, 'must be at most 500 characters')
      .regex(/^\S+$/, 'must not contain whitespace'),
    baseUrl: z.string().trim().min(1, 'must not be empty').max(2048, 'must be at most 2048 characters').optional(),
  })
  .superRefine((body, ctx) => {
    if (requiresBaseUrl(body.provider) && body.baseUrl === undefined) {
      ctx.addIssue({ code: 'custom', path: ['baseUrl'], message: `required for provider ${body.provider}` });
    }
  });

export type StoreProviderKeyBody = z.output<typeof storeProviderKeyBody>;
