import { z } from 'zod';
import { isTenantId } from '@enclave/eventing';

/** A tenant id as the platform issues them (see @enclave/eventing tenantId()). */
export const tenantIdSchema = z.string().refine(isTenantId, 'expected a tenant id (1-128 of A-Z a-z 0-9 _ -)');

/** An email address: trimmed, lower-cased, one @, no spaces, at most 254 characters. */
export const emailSchema = z
  .string()
  .trim()
  .max(254, 'at most 254 characters')
  .toLowerCase()
  .pipe(z.email({ error: 'expected an email address' }));
