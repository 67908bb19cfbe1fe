// Given a tenant's quota history, which events does each quota command produce?
import { decide, evolve, initialQuotaState, InvalidQuotaError, type QuotaEvent, type QuotaState } from './quota-decider';

const given = (...events: QuotaEvent[]): QuotaState => events.reduce(evolve, initialQuotaState);

describe('quota decider', () => {
  describe('SetQuota', () => {
    it('sets a quota on a fresh tenant', () => {
      expect(decide({ type: 'SetQuota', monthlyTokenQuota: 1000 }, given())).toEqual([
        { type: 'QuotaSet', monthlyTokenQuota: 1000 },
      ]);
    });

    it('can make a limited tenant unlimited', () => {
      const state = given({ type: 'QuotaSet', monthlyTokenQuota: 1000 });
      expect(decide({ type: 'SetQuota', monthlyTokenQuota: null }, state)).toEqual([
        { type: 'QuotaSet', monthlyTokenQuota: null },
      ]);
    });

    it('records nothing when the quota is already that value', () => {
      const state = given({ type: 'QuotaSet', monthlyTokenQuota: 1000 });
      expect(decide({ type: 'SetQuota', monthlyTokenQuota: 1000 }, state)).toEqual([]);
    });

    it('records an explicit unlimited quota on a tenant that never had one', () => {
      expect(decide({ type: 'SetQuota', monthlyTokenQuota: null }, given())).toEqual([
        { type: 'QuotaSet', monthlyTokenQuota: null },
      ]);
    });

    it.each([-1, 1.5, Number.NaN])('refuses %p', (bad) => {
      expect(() => decide({ type: 'SetQuota', monthlyTokenQuota: bad }, given())).toThrow(InvalidQuotaError);
    });
  });

  describe('ApplyDefaultQuota', () => {
    it('gives a new tenant the default quota', () => {
      expect(decide({ type: 'ApplyDefaultQuota', monthlyTokenQuota: 500 }, given())).toEqual([
        { type: 'QuotaSet', monthlyTokenQuota: 500 },
      ]);
    });

    it('leaves a quota the operator already set alone (and a redelivered InstanceCreated too)', () => {
      const state = given({ type: 'QuotaSet', monthlyTokenQuota: 42 });
      expect(decide({ type: 'ApplyDefaultQuota', monthlyTokenQuota: 500 }, state)).toEqual([]);
    });

    it('records nothing when the default is unlimited', () => {
      expect(decide({ type: 'ApplyDefaultQuota', monthlyTokenQuota: null }, given())).toEqual([]);
    });
  });

  describe('CheckMonthlyUsage', () => {
    const limited = given({ type: 'QuotaSet', monthlyTokenQuota: 1000 });

    it('stays quiet below the quota', () => {
      expect(decide({ type: 'CheckMonthlyUsage', month: '2025-03', tokensUsed: 999 }, limited)).toEqual([]);
    });

    it('reports exhaustion the first time usage reaches the quota in a month', () => {
      expect(decide({ type: 'CheckMonthlyUsage', month: '2025-03', tokensUsed: 1000 }, limited)).toEqual([
        { type: 'QuotaExhausted', month: '2025-03', tokensUsed: 1000, monthlyTokenQuota: 1000 },
      ]);
    });

    it('reports it only once per month', () => {
      const state = given(
        { type: 'QuotaSet', monthlyTokenQuota: 1000 },
        { type: 'QuotaExhausted', month: '2025-03', tokensUsed: 1000, monthlyTokenQuota: 1000 },
      );
      expect(decide({ type: 'CheckMonthlyUsage', month: '2025-03', tokensUsed: 1700 }, state)).toEqual([]);
      expect(decide({ type: 'CheckMonthlyUsage', month: '2025-04', tokensUsed: 1000 }, state)).toHaveLength(1);
    });

    it('reports again after the quota was changed and the new one is reached', () => {
      const state = given(
        { type: 'QuotaSet', monthlyTokenQuota: 1000 },
        { type: 'QuotaExhausted', month: '2025-03', tokensUsed: 1000, monthlyTokenQuota: 1000 },
        { type: 'QuotaSet', monthlyTokenQuota: 2000 },
      );
      expect(decide({ type: 'CheckMonthlyUsage', month: '2025-03', tokensUsed: 1500 }, state)).toEqual([]);
      expect(decide({ type: 'CheckMonthlyUsage', month: '2025-03', tokensUsed: 2000 }, state)).toEqual([
        { type: 'QuotaExhausted', month: '2025-03', tokensUsed: 2000, monthlyTokenQuota: 2000 },
      ]);
    });

    it('never reports for an unlimited tenant', () => {
      expect(decide({ type: 'CheckMonthlyUsage', month: '2025-03', tokensUsed: 10 ** 12 }, given())).toEqual([]);
    });
  });
});
