// Which gRPC status and message does each kind of handler error become?
import { status } from '@grpc/grpc-js';
import { z } from 'zod';
import { ConflictError, ForbiddenError, NotFoundError, RateLimitedError, UnauthenticatedError, UnavailableError, ValidationError } from '../errors/app-errors';
import { TokenExpired } from '../identity/jwt-errors';
import { GrpcError, INTERNAL_MESSAGE, toGrpcError } from './grpc-error';

const mapped = (error: unknown) => {
  const { error: e, unexpected } = toGrpcError(error);
  return [e.codeName, e.message, unexpected];
};

describe('toGrpcError', () => {
  it('keeps GrpcError as is', () => {
    expect(mapped(new GrpcError(status.FAILED_PRECONDITION, 'key disabled'))).toEqual(['FAILED_PRECONDITION', 'key disabled', false]);
  });

  it('maps domain errors by kind, keeping their safe message', () => {
    expect(mapped(new NotFoundError('tenant t1 not found'))).toEqual(['NOT_FOUND', 'tenant t1 not found', false]);
    expect(mapped(new ValidationError('bad model'))).toEqual(['INVALID_ARGUMENT', 'bad model', false]);
    expect(mapped(new ConflictError('exists'))[0]).toBe('ALREADY_EXISTS');
    expect(mapped(new ForbiddenError('no'))[0]).toBe('PERMISSION_DENIED');
    expect(mapped(new UnauthenticatedError('who'))[0]).toBe('UNAUTHENTICATED');
    expect(mapped(new RateLimitedError('slow down', 3))[0]).toBe('RESOURCE_EXHAUSTED');
    expect(mapped(new UnavailableError('later'))[0]).toBe('UNAVAILABLE');
    expect(mapped(new TokenExpired())).toEqual(['UNAUTHENTICATED', 'token has expired', false]);
  });

  it('maps zod errors to INVALID_ARGUMENT naming the fields', () => {
    const result = z.object({ tenantId: z.string().min(1), n: z.number() }).safeParse({ tenantId: '', n: 'x' });
    const [code, message] = mapped(result.error);
    expect(code).toBe('INVALID_ARGUMENT');
    expect(message).toMatch(/tenantId: .*; n: /);
  });

  it('hides anything else behind INTERNAL and flags it for logging', () => {
    expect(mapped(new Error('ECONNREFUSED mongodb://u:pw@db'))).toEqual(['INTERNAL', INTERNAL_MESSAGE, true]);
    expect(mapped('a string')).toEqual(['INTERNAL', INTERNAL_MESSAGE, true]);
  });
});
