// Which security-log period applies to a tenant, and where does its cutoff fall?
import { DAY_MS, retentionCutoff, securityLogDays } from './retention-policy';

describe('security log retention policy', () => {
  it('uses the tenant period when positive, else 90 days', () => {
    expect(securityLogDays(30)).toBe(30);
    expect(securityLogDays(undefined)).toBe(90);
    expect(securityLogDays(0)).toBe(90);
    expect(securityLogDays(-5)).toBe(90);
  });

  it('puts the cutoff that many days before now', () => {
    expect(retentionCutoff(100 * DAY_MS, 30)).toBe(70 * DAY_MS);
  });
});
