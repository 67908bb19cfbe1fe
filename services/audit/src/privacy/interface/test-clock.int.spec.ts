// Is PUT /v1/test/clock absent unless the test clock is enabled, and does it move only the privacy clock when it is?
import { startAuditHttp } from '../../test-support/audit-http-kit.helper.spec';
import { startPrivacyStack } from '../../test-support/privacy-stack.helper.spec';

jest.setTimeout(60_000);

it('is not served when TEST_CLOCK_ENABLED is off (the default)', async () => {
  const http = await startAuditHttp('audit-test-clock-off');
  try {
    const reply = await http.app.getHttpAdapter().getInstance().inject({ method: 'PUT', url: '/v1/test/clock', payload: { offsetMs: 1000 } });
    expect(reply.statusCode).toBe(404);
    expect(http.runtime.privacy.clock.offsetMs).toBe(0);
  } finally {
    await http.close();
  }
});

it('shifts the privacy clock when enabled', async () => {
  const stack = await startPrivacyStack('audit-test-clock-on');
  try {
    const reply = await stack.call('PUT', '/v1/test/clock', undefined, { offsetMs: 86_400_000 });
    expect(reply.status).toBe(200);
    expect(reply.body.offsetMs).toBe(86_400_000);
    expect(stack.clock.offsetMs).toBe(86_400_000);
    expect((await stack.call('PUT', '/v1/test/clock', undefined, { offsetMs: 1.5 })).status).toBe(400);
  } finally {
    await stack.close();
  }
});
