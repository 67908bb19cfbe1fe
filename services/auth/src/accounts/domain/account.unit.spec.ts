// Is registering an account idempotent at the decider level?
import { decide, evolve, type AccountState } from './account';

const absent: AccountState = { status: 'absent' };

describe('account decider', () => {
  it('registers a new account with the offered subject id', () => {
    expect(decide({ type: 'RegisterAccount', tenantId: 't1', newSubjectId: 's1' }, absent)).toEqual([
      { type: 'AccountRegistered', tenantId: 't1', subjectId: 's1' },
    ]);
  });

  it('records nothing for an account that is already registered', () => {
    const state = evolve(absent, { type: 'AccountRegistered', tenantId: 't1', subjectId: 's1' });
    expect(state).toEqual({ status: 'registered', tenantId: 't1', subjectId: 's1' });
    expect(decide({ type: 'RegisterAccount', tenantId: 't1', newSubjectId: 's2' }, state)).toEqual([]);
  });
});
