import { z } from 'zod';
import type { TrailFilter } from '../application/ports';

const id = (what: string) => z.string().regex(/^[A-Za-z0-9._:@-]{1,200}$/, `expected ${what}`);
const isoTime = z.iso.datetime({ offset: true, error: 'expected an ISO 8601 date-time, e.g. 2025-03-01T00:00:00Z' });
const nonNegativeInt = (max: number) =>
  z
    .string()
    .regex(/^\d{1,16}$/, 'expected a non-negative integer')
    .transform(Number)
    .refine((n) => n <= max, `expected at most ${max}`);

export const MAX_LIMIT = 500;
export const DEFAULT_LIMIT = 100;

export const trailQuery: z.ZodType<TrailFilter, Record<string, string | undefined>> = z
  .object({
    type: id('an event type').optional(),
    actor: id('an actor id').optional(),
    subject: id('a subject id').optional(),
    from: isoTime.optional(),
    to: isoTime.optional(),
    after: nonNegativeInt(Number.MAX_SAFE_INTEGER).optional(),
    limit: nonNegativeInt(MAX_LIMIT)
      .refine((n) => n >= 1, 'expected at least 1')
      .optional(),
  })
  .strict()
  .refine((q) => !q.from || !q.to || Date.parse(q.from) < Date.parse(q.to), { message: 'from must be before to', path: ['from'] })
  .transform((q) => ({
    ...(q.type && { type: q.type }),
    ...(q.actor && { actor: q.actor }),
    ...(q.subject && { subject: q.subject }),
    ...(q.from && { from: new Date(q.from) }),
    ...(q.to && { to: new Date(q.to) }),
    ...(q.after !== undefined && { after: q.after }),
    limit: q.limit ?? DEFAULT_LIMIT,
  }));
