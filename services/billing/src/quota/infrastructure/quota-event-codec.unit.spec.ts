// Does every quota event survive the trip through billingV1.BillingEvent, unlimited and 0 kept apart?
import type { QuotaEvent } from '../domain/quota-decider';
import { decodeQuotaEvent, encodeQuotaEvent, envelopeType, QuotaEventDecodeError } from './quota-event-codec';

describe('quota event codec', () => {
  it.each<QuotaEvent>([
    { type: 'QuotaSet', monthlyTokenQuota: 250_000 },
    { type: 'QuotaSet', monthlyTokenQuota: 0 },
    { type: 'QuotaSet', monthlyTokenQuota: null },
    { type: 'QuotaExhausted', month: '2025-03', tokensUsed: 1200, monthlyTokenQuota: 1000 },
  ])('round-trips %j', (event) => {
    expect(decodeQuotaEvent(encodeQuotaEvent(event))).toEqual(event);
  });

  it('names envelope types billing.<Event>', () => {
    expect(envelopeType({ type: 'QuotaSet', monthlyTokenQuota: 1 })).toBe('billing.QuotaSet');
  });

  it('refuses bytes that are not a billing event, and an empty one', () => {
    expect(() => decodeQuotaEvent(Buffer.from([0xff, 0xff, 0xff]))).toThrow(QuotaEventDecodeError);
    expect(() => decodeQuotaEvent(new Uint8Array())).toThrow(QuotaEventDecodeError);
  });
});
