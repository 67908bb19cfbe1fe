// What does a client see when the provider fails, and is nothing key-shaped ever passed on?
import { frameworkError, invalidApiKey, rateLimited } from './api-errors';
import { failureBeforeAnswer, failureOfStatus } from '../../metering/domain/provider-failure';
import { apiErrorOfFailure, sseErrorEvent, upstreamFailure } from './upstream-errors';

describe('provider failures', () => {
  it('maps provider statuses to OpenAI errors with our own messages', () => {
    const rejected = apiErrorOfFailure(failureOfStatus(401, JSON.stringify({ error: { message: 'Incorrect API key provided: sk-abc123456789' } })));
    expect(rejected.status).toBe(502);
    expect(rejected.message).not.toContain('sk-');
    expect(apiErrorOfFailure(failureOfStatus(429, ''))).toMatchObject({ status: 429, type: 'requests', code: 'upstream_rate_limited' });
    expect(apiErrorOfFailure(failureOfStatus(504, ''))).toMatchObject({ status: 504, code: 'upstream_timeout' });
    expect(apiErrorOfFailure(failureOfStatus(500, 'boom'))).toMatchObject({ status: 502, type: 'server_error' });
    expect(apiErrorOfFailure(failureOfStatus(418, '')).status).toBe(502);
    expect(apiErrorOfFailure(failureBeforeAnswer(false))).toMatchObject({ status: 502, code: 'upstream_error', message: 'Could not reach the provider.' });
  });

  it("passes a request error's message on, with key-shaped text redacted", () => {
    const body = JSON.stringify({ error: { message: "Invalid 'max_tokens' for key sk-proj-ABCDEFGH123 and Bearer ek-xyz" } });
    expect(apiErrorOfFailure(failureOfStatus(400, body))).toMatchObject({
      status: 400, type: 'invalid_request_error', message: "Invalid 'max_tokens' for key [redacted] and [redacted]",
    });
    expect(apiErrorOfFailure(failureOfStatus(400, 'not json')).message).toBe('The provider refused the request (400).');
  });

  it('turns a failure after the first byte into one SSE data event with an error object', () => {
    const event = sseErrorEvent(upstreamFailure('upstream_stream_broken'));
    expect(event.endsWith('\n\n')).toBe(true);
    expect(JSON.parse(event.slice(6))).toEqual({ error: { message: expect.stringContaining('broke off'), type: 'server_error', param: null, code: 'upstream_stream_broken' } });
  });
});

describe('gateway errors', () => {
  it('uses the statuses and codes OpenAI clients know', () => {
    expect(invalidApiKey()).toMatchObject({ status: 401, code: 'invalid_api_key' });
    expect(rateLimited(10, 7)).toMatchObject({ status: 429, code: 'rate_limit_exceeded', retryAfterSec: 7 });
    expect(frameworkError(413).status).toBe(413);
    expect(frameworkError(400)).toMatchObject({ status: 400, code: 'invalid_json' });
    expect(frameworkError(undefined).status).toBe(500);
  });
});
