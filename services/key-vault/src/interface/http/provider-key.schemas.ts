import { z } from 'zod';
import { isTenantId } from '@enclave/eventing';
import { isUuid } from '@enclave/platform';
import { PROVIDERS, requiresBaseUrl } from '../../domain/provider-key/providers';
import { TENANT_SECRET_KINDS } from '../../domain/secret/secret-kind';

// Request shapes of the key-vault HTTP API. Messages describe the rule, never the value sent.

const tenantId = z.string().refine(isTenantId, 'expected a tenant id');
const uuid = (what: string) => z.string().refine(isUuid, `expected a ${what} (UUID)`);

export const tenantParams = z.object({ tenantId });
export const keyParams = z.object({ tenantId, keyId: uuid('key id') });
export const kindParams = z.object({ tenantId, kind: z.enum(TENANT_SECRET_KINDS) });
export const tenantSecretParams = kindParams.extend({ secretId: uuid('secret id') });

const label = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(100, 'must be at most 100 characters')
  .regex(/^[^\p{Cc}]*$/u, 'must not contain control characters');

const apiKey = z
  .string()
  .min(8, 'must be at least 8 characters')
  .max(500, 'must be at most 500 characters')
  .regex(/^\S+$/, 'must not contain whitespace');

export const storeProviderKeyBody = z
  .strictObject({
    provider: z.enum(PROVIDERS),
    label,
    apiKey,
    baseUrl: z.string().trim().min(1, 'must not be empty').max(2048, 'must be at most 2048 characters').optional(),
  })
  .superRefine((body, ctx) => {
    if (requiresBaseUrl(body.provider) && body.baseUrl === undefined) {
      ctx.addIssue({ code: 'custom', path: ['baseUrl'], message: `required for provider ${body.provider}` });
    }
  });

export const rotateProviderKeyBody = z.strictObject({ apiKey });

/** SMTP passwords may contain spaces; nothing may contain control characters. */
const secretValue = z
  .string()
  .min(1, 'must not be empty')
  .max(1000, 'must be at most 1000 characters')
  .regex(/^[^\p{Cc}]*$/u, 'must not contain control characters');

export const storeTenantSecretBody = z.strictObject({ label, value: secretValue });
export const rotateTenantSecretBody = z.strictObject({ value: secretValue });

export const rewrapBody = z.strictObject({
  batchSize: z.number().int('must be an integer').min(1, 'must be at least 1').max(1000, 'must be at most 1000').optional(),
  maxKeys: z.number().int('must be an integer').min(1, 'must be at least 1').optional(),
});
