// Which cutoff does a tenant's conversation retention give, and when is nothing deleted?
import { conversationCutoff, DAY_MS } from './conversation-retention';

describe('conversationCutoff', () => {
  it('is now minus the period when a period is set', () => {
    expect(conversationCutoff({ conversationRetentionDays: 30 }, 100 * DAY_MS)).toBe(70 * DAY_MS);
  });

  it('is undefined (keep until deleted) for 0', () => {
    expect(conversationCutoff({ conversationRetentionDays: 0 }, 100 * DAY_MS)).toBeUndefined();
  });
});
