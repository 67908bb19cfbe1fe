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

/** A sequence number or tree size in a query string: 1 or more. */
export const positiveIntParam = () => nonNegativeInt(Number.MAX_SAFE_INTEGER).refine((n) => n >= 1, 'expected at least 1');
/** A page size in a query string. */
export const limitParam = (max: number) => nonNegativeInt(max).refine((n) => n >= 1, 'expected at least 1');

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
    limit: limitParam(MAX_LIMIT).optional(),
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

const seqNumber = z.number().int('expected an integer').min(1, 'expected at least 1').max(Number.MAX_SAFE_INTEGER);

/** POST .../verify body: absent or {} for the whole log; a range otherwise (fromSeq defaults to 1, toSeq to the head). */
export const verifyBody = z
  .union([z.undefined(), z.null(), z.object({ fromSeq: seqNumber.optional(), toSeq: seqNumber.optional() }).strict()])
  .refine((b) => !b || b.fromSeq === undefined || b.toSeq === undefined || b.fromSeq <= b.toSeq, { message: 'fromSeq must not be after toSeq', path: ['fromSeq'] })
  .transform((b) => (b && (b.fromSeq !== undefined || b.toSeq !== undefined) ? { fromSeq: b.fromSeq ?? 1, ...(b.toSeq !== undefined && { toSeq: b.toSeq }) } : undefined));

/** GET .../events/count: the trail's filters without paging (`after` still narrows, `limit` is refused). */
export const trailCountQuery = z
  .record(z.string(), z.string().optional())
  .refine((q) => q.limit === undefined, { message: 'limit does not apply to a count', path: ['limit'] })
  .pipe(trailQuery);
