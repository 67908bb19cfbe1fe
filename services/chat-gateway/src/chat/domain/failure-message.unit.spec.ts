// What is a member told for each kind of provider failure (never the provider's own words)?
import { failureBeforeAnswer, failureMidAnswer, failureOfStatus } from '../../metering/domain/provider-failure';
import { failureMessage } from './failure-message';

describe('failureMessage', () => {
  it('explains a refused key, an unknown model, a refused request and a failing provider in our words', () => {
    expect(failureMessage(failureOfStatus(401, '{"error":{"message":"bad key sk-123456789"}}'), false)).toBe("the provider rejected this instance's key");
    expect(failureMessage(failureOfStatus(404, '{"error":{"message":"no such model"}}'), false)).toBe('the provider does not know this model');
    expect(failureMessage(failureOfStatus(400, '{"error":{"message":"bad"}}'), false)).toBe('the provider refused the request (400)');
    expect(failureMessage(failureOfStatus(503, ''), false)).toBe('the provider failed (503)');
    expect(failureMessage(failureBeforeAnswer(false), false)).toBe('could not reach the provider');
  });

  it('tells silence before the answer from silence in the middle of it', () => {
    expect(failureMessage(failureBeforeAnswer(true), false)).toBe('the provider did not answer in time');
    expect(failureMessage(failureMidAnswer(true), true)).toBe('the provider stopped sending before the answer was complete');
    expect(failureMessage(failureMidAnswer(false), true)).toContain('broke off');
  });
});
