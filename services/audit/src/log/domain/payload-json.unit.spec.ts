// Does a decoded protobuf payload become plain JSON in the proto3 JSON shape?
import { billingV1, tenantV1 } from '@enclave/proto';
import { canonicalJson } from './canonical-json';
import { payloadToJson } from './payload-json';

describe('payloadToJson', () => {
  it('turns a ts-proto oneof into {case: value} and keeps nested messages and lists', () => {
    const bytes = tenantV1.TenantEvent.encode({
      event: {
        $case: 'settingsChanged',
        value: {
          settings: {
            instanceName: 'Acme',
            systemInstruction: '',
            messageLogging: false,
            privacyPolicyUrl: '',
            defaultModel: 'gpt-4o',
            allowedModels: ['gpt-4o', 'gpt-4o-mini'],
            messageLoggingNoticeVersion: '',
          },
        },
      },
    }).finish();
    const json = payloadToJson(tenantV1.TenantEvent.decode(bytes));
    expect(json).toEqual({
      settingsChanged: {
        settings: {
          instanceName: 'Acme',
          systemInstruction: '',
          messageLogging: false,
          privacyPolicyUrl: '',
          defaultModel: 'gpt-4o',
          allowedModels: ['gpt-4o', 'gpt-4o-mini'],
          messageLoggingNoticeVersion: '',
        },
      },
    });
  });

  it('keeps int64 values as numbers so the canonical text is stable', () => {
    const bytes = billingV1.BillingEvent.encode({
      event: { $case: 'quotaExhausted', value: { month: '2025-03', tokensUsed: 1200, monthlyTokenQuota: 1000 } },
    }).finish();
    expect(canonicalJson(payloadToJson(billingV1.BillingEvent.decode(bytes)))).toBe(
      '{"quotaExhausted":{"month":"2025-03","monthlyTokenQuota":1000,"tokensUsed":1200}}',
    );
  });

  it('writes bytes as base64 and an empty oneof as an empty object', () => {
    expect(payloadToJson({ blob: new Uint8Array([1, 2, 255]) })).toEqual({ blob: 'AQL/' });
    expect(payloadToJson({ event: undefined })).toEqual({});
  });
});
