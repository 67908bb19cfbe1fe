// Does every tenant refusal (and a lost write race) become the HTTP status the API promises?
import { ConcurrencyError } from '@enclave/eventing';
import { toHttpError } from '@enclave/platform';
import {
  CannotRemoveOwnerError,
  InstanceAlreadyExistsError,
  InvalidSettingsError,
  MemberAlreadyAddedError,
  UnknownMemberError,
  UnknownTenantError,
} from '../../domain';
import { refusalsAsHttp } from './domain-errors';

const statusOf = async (error: Error) => {
  try {
    await refusalsAsHttp(() => Promise.reject(error));
  } catch (mapped) {
    return toHttpError(mapped).status;
  }
  throw new Error('expected a rejection');
};

it.each<[Error, number]>([
  [new InstanceAlreadyExistsError(), 409],
  [new MemberAlreadyAddedError(), 409],
  [new UnknownTenantError(), 404],
  [new UnknownMemberError(), 404],
  [new CannotRemoveOwnerError(), 400],
  [new InvalidSettingsError(['defaultModel must be one of allowedModels when allowedModels is set']), 400],
  [new ConcurrencyError('tenant-t1', 3), 409],
])('%s → %i', async (error, status) => {
  expect(await statusOf(error)).toBe(status);
});

it('passes the result through and leaves other errors alone (they become 500 without detail)', async () => {
  await expect(refusalsAsHttp(async () => 7)).resolves.toBe(7);
  expect(await statusOf(new Error('boom'))).toBe(500);
});
