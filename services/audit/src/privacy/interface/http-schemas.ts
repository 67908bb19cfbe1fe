import { z } from 'zod';
import { CONSENT_PURPOSES, REQUEST_KINDS } from '../domain/privacy-events';
import { DEFAULT_LIMIT, MAX_LIMIT, limitParam } from '../../log/interface/http-schemas';

export const idParam = (what: string) => z.string().regex(/^[A-Za-z0-9._:@-]{1,200}$/, `expected ${what}`);

export const consentBody = z
  .object({
    purpose: z.enum(CONSENT_PURPOSES, { error: `expected one of ${CONSENT_PURPOSES.join(', ')}` }),
    textVersion: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'expected a text version such as 2026-10-01'),
    granted: z.boolean({ error: 'expected true or false' }),
  })
  .strict();

export const requestBody = z
  .object({
    kind: z.enum(REQUEST_KINDS, { error: `expected one of ${REQUEST_KINDS.join(', ')}` }),
    subjectId: idParam('a subject id').optional(),
  })
  .strict();

const afterSeq = z
  .string()
  .regex(/^\d{1,16}$/, 'expected a non-negative integer')
  .transform(Number);

export const requestsQuery = z
  .object({
    status: z.enum(['open', 'overdue', 'completed'], { error: 'expected open, overdue or completed' }).optional(),
    after: idParam('a request id').optional(),
    limit: limitParam(MAX_LIMIT).optional(),
  })
  .strict()
  .transform((q) => ({ ...(q.status && { status: q.status }), ...(q.after && { after: q.after }), limit: q.limit ?? DEFAULT_LIMIT }));

export const recordsQuery = z
  .object({ after: idParam('a request id').optional(), limit: limitParam(MAX_LIMIT).optional() })
  .strict()
  .transform((q) => ({ after: q.after, limit: q.limit ?? DEFAULT_LIMIT }));

export const receiptsQuery = z
  .object({ after: afterSeq.optional(), limit: limitParam(MAX_LIMIT).optional() })
  .strict()
  .transform((q) => ({ after: q.after ?? 0, limit: q.limit ?? DEFAULT_LIMIT }));

const TEN_YEARS_MS = 10 * 366 * 86_400_000;

export const testClockBody = z
  .object({ offsetMs: z.number().int('expected an integer').min(-TEN_YEARS_MS).max(TEN_YEARS_MS) })
  .strict();
