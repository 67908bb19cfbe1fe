import { BadRequestException, Body, Param, Query, type PipeTransform } from '@nestjs/common';
import type { z } from 'zod';
import { summarizeIssues, type IssueSummary } from '../errors/zod-issues';

/** 400 whose body names each bad field and why, never echoing the submitted values. */
export class RequestValidationError extends BadRequestException {
  constructor(readonly issues: IssueSummary[], what: string) {
    const message = `invalid ${what}: ${issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ')}`;
    super({ error: 'bad_request', message, issues });
  }
}

/** Parses with zod or throws RequestValidationError (400). */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, what = 'request'): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new RequestValidationError(summarizeIssues(result.error.issues), what);
  return result.data;
}

/** Nest pipe running parseOrThrow; type the handler parameter as z.output<typeof schema>. */
export class ZodPipe<S extends z.ZodType> implements PipeTransform<unknown, z.output<S>> {
  constructor(private readonly schema: S, private readonly what = 'request') {}

  transform(value: unknown): z.output<S> {
    return parseOrThrow(this.schema, value, this.what);
  }
}

/** `@ZodBody(CreateKeySchema) body: z.output<typeof CreateKeySchema>` */
export const ZodBody = (schema: z.ZodType): ParameterDecorator => Body(new ZodPipe(schema, 'body'));
export const ZodQuery = (schema: z.ZodType): ParameterDecorator => Query(new ZodPipe(schema, 'query'));
export const ZodParams = (schema: z.ZodType): ParameterDecorator => Param(new ZodPipe(schema, 'path parameters'));
