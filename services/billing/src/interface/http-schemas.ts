import { z } from 'zod';
import { isTenantId, type TenantId } from '@enclave/eventing';
import { isMonthKey } from '../usage/domain/periods';

export const tenantParams: z.ZodType<{ tenantId: TenantId }, { tenantId: string }> = z.object({
  tenantId: z.string().refine(isTenantId, 'expected a tenant id').transform((id) => id as TenantId),
});

export const usageQuery = z.object({
  month: z.string().refine(isMonthKey, 'expected a month as YYYY-MM').optional(),
});

export const setQuotaBody = z
  .object({
    monthlyTokenQuota: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).nullable(),
  })
  .strict();
