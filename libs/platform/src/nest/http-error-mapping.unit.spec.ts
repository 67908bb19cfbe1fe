// Which HTTP status and body does each kind of thrown error become, and which are flagged to log?
import { status } from '@grpc/grpc-js';
import { ConflictError, NotFoundError, RateLimitedError } from '../errors/app-errors';
import { GrpcError } from '../grpc/grpc-error';
import { TokenInvalid } from '../identity/jwt-errors';
import { BadRequestException, ForbiddenException, HttpException, NotFoundException } from '@nestjs/common';
import { z } from 'zod';
import { toHttpError } from './http-error-mapping';
import { parseOrThrow } from './parse-or-throw';

describe('toHttpError', () => {
  it('turns zod errors into 400 bad_request naming the fields, without values', () => {
    const result = z.object({ email: z.email(), age: z.number() }).safeParse({ email: 'not-an-email-secret', age: 'x' });
    const mapped = toHttpError(result.error);
    expect(mapped.status).toBe(400);
    expect(mapped.body.error).toBe('bad_request');
    expect(mapped.body.message).toMatch(/^invalid request: email: .*; age: /);
    expect(mapped.body.issues?.map((i) => i.path)).toEqual(['email', 'age']);
    expect(JSON.stringify(mapped.body)).not.toContain('not-an-email-secret');
  });

  it('keeps parseOrThrow issues and Nest HttpException statuses with snake_case codes', () => {
    const error = (() => {
      try {
        parseOrThrow(z.object({ name: z.string().min(1) }), { name: '' }, 'body');
      } catch (e) {
        return e;
      }
      throw new Error('parseOrThrow accepted bad input');
    })();
    expect(toHttpError(error)).toMatchObject({ status: 400, body: { error: 'bad_request', message: expect.stringMatching(/^invalid body: name: /), issues: [{ path: 'name' }] } });
    expect(toHttpError(new NotFoundException('no such chat'))).toEqual({ status: 404, body: { error: 'not_found', message: 'no such chat' }, unexpected: false });
    expect(toHttpError(new ForbiddenException())).toMatchObject({ status: 403, body: { error: 'forbidden', message: 'Forbidden' } });
    expect(toHttpError(new BadRequestException(['a is bad', 'b is bad'])).body.message).toBe('a is bad; b is bad');
    expect(toHttpError(new HttpException('teapot', 418)).body).toEqual({ error: 'bad_request', message: 'teapot' });
  });

  it('maps domain errors and token errors by kind', () => {
    expect(toHttpError(new NotFoundError('tenant not found'))).toMatchObject({ status: 404, body: { error: 'not_found', message: 'tenant not found' } });
    expect(toHttpError(new ConflictError('slug taken')).status).toBe(409);
    expect(toHttpError(new RateLimitedError('quota exceeded', 2.5))).toMatchObject({ status: 429, headers: { 'retry-after': '3' }, body: { error: 'rate_limited' } });
    expect(toHttpError(new TokenInvalid('bad_signature'))).toMatchObject({ status: 401, body: { error: 'unauthenticated', message: 'token signature is invalid' } });
  });

  it('answers 503 for unavailable dependencies and a generic 500 for everything else', () => {
    expect(toHttpError(new GrpcError(status.UNAVAILABLE, 'connect ECONNREFUSED 10.0.0.5'))).toMatchObject({ status: 503, body: { error: 'unavailable' }, unexpected: true });
    expect(toHttpError(new GrpcError(status.PERMISSION_DENIED, 'internal detail'))).toEqual({ status: 500, body: { error: 'internal', message: 'internal error' }, unexpected: true });
    expect(toHttpError(new Error('sk-live-secretsecretsecret'))).toEqual({ status: 500, body: { error: 'internal', message: 'internal error' }, unexpected: true });
    expect(toHttpError(new HttpException('db password wrong', 500)).body).toEqual({ error: 'internal', message: 'internal error' });
  });

  it('gives Fastify client errors fixed messages', () => {
    const fst = Object.assign(new Error('Unexpected token s in JSON "secret"'), { statusCode: 400, code: 'FST_ERR_CTP_INVALID_JSON_BODY' });
    expect(toHttpError(fst)).toEqual({ status: 400, body: { error: 'bad_request', message: 'malformed request' }, unexpected: false });
  });
});
