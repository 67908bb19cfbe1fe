// How is a provider failure classified, and is nothing key-shaped ever kept from its message?
import { failureBeforeAnswer, failureMidAnswer, failureOfStatus, safeProviderMessage } from './provider-failure';

describe('provider failures', () => {
  it('classifies error statuses; a refused key asks for the credential to be dropped, without its message', () => {
    expect(failureOfStatus(401, JSON.stringify({ error: { message: 'Incorrect API key provided: sk-abc123456789' } }))).toEqual({
      kind: 'upstream_error', status: 401, credentialRejected: true, providerMessage: undefined,
    });
    expect(failureOfStatus(429, '')).toMatchObject({ kind: 'upstream_rate_limited', credentialRejected: false });
    expect(failureOfStatus(504, '')).toMatchObject({ kind: 'upstream_timeout' });
    expect(failureOfStatus(500, 'boom')).toMatchObject({ kind: 'upstream_error', status: 500, providerMessage: undefined });
  });

  it("keeps a request error's message, with key-shaped text redacted", () => {
    const body = JSON.stringify({ error: { message: "Invalid 'max_tokens' for key sk-proj-ABCDEFGH123 and Bearer ek-xyz" } });
    expect(failureOfStatus(400, body).providerMessage).toBe("Invalid 'max_tokens' for key [redacted] and [redacted]");
    expect(failureOfStatus(400, 'not json').providerMessage).toBeUndefined();
    expect(safeProviderMessage(JSON.stringify({ error: { message: 'x'.repeat(900) } }))).toHaveLength(500);
  });

  it('tells silence from a cut connection, before and after the answer started', () => {
    expect(failureBeforeAnswer(true).kind).toBe('upstream_timeout');
    expect(failureBeforeAnswer(false).kind).toBe('upstream_error');
    expect(failureMidAnswer(true).kind).toBe('upstream_timeout');
    expect(failureMidAnswer(false).kind).toBe('upstream_stream_broken');
  });
});
