import { z } from 'zod';
import { ADMIN_READ_REASONS } from '@enclave/privacy';
import { BREACH_SEVERITIES, CONSENT_PURPOSES, REQUEST_KINDS } from '../domain/privacy-events';
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

/** An export pulled on someone else's behalf says why (it lands on their receipts). */
export const exportQuery = z.object({
  reason: z.enum(ADMIN_READ_REASONS, { error: `reason is required: one of ${ADMIN_READ_REASONS.join(', ')}` }),
});

export const receiptsQuery = z
  .object({ after: afterSeq.optional(), limit: limitParam(MAX_LIMIT).optional() })
  .strict()
  .transform((q) => ({ after: q.after ?? 0, limit: q.limit ?? DEFAULT_LIMIT }));

const TEN_YEARS_MS = 10 * 366 * 86_400_000;

export const testClockBody = z
  .object({ offsetMs: z.number().int('expected an integer').min(-TEN_YEARS_MS).max(TEN_YEARS_MS) })
  .strict();

export const MAX_BREACH_DESCRIPTION = 10_000;

/** A breach as an owner or admin records it; the description is free text (may name people). */
export const breachBody = z
  .object({
    description: z.string({ error: 'expected a description' }).trim().min(1, 'expected a description').max(MAX_BREACH_DESCRIPTION, `expected at most ${MAX_BREACH_DESCRIPTION} characters`),
    detectedAt: z.iso.datetime({ offset: true, error: 'expected an ISO 8601 date-time such as 2026-10-01T08:00:00Z' }).transform((v) => Date.parse(v)),
    severity: z.enum(BREACH_SEVERITIES, { error: `expected one of ${BREACH_SEVERITIES.join(', ')}` }),
    affectedSubjectCount: z.number({ error: 'expected a number' }).int('expected an integer').min(0, 'expected 0 or more').max(1_000_000_000, 'expected at most 1000000000'),
  })
  .strict()
  .transform(({ detectedAt, ...rest }) => ({ ...rest, detectedAtMs: detectedAt }));

export const breachesQuery = z
  .object({
    status: z.enum(['open', 'overdue', 'resolved'], { error: 'expected open, overdue or resolved' }).optional(),
    after: idParam('an incident id').optional(),
    limit: limitParam(MAX_LIMIT).optional(),
  })
  .strict()
  .transform((q) => ({ ...(q.status && { status: q.status }), ...(q.after && { after: q.after }), limit: q.limit ?? DEFAULT_LIMIT }));
