// From the relayed bytes, does the gateway find the provider's usage, and the delivered text when
// it must estimate, however the chunks were cut?
import { ResponseRecorder } from './response-usage';

const chunk = (content: string) => `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content } }], usage: null })}\n\n`;
const usage = `data: ${JSON.stringify({ id: 'c1', choices: [], usage: { prompt_tokens: 12, completion_tokens: 3, total_tokens: 15 } })}\n\n`;
const sse = chunk('Hel') + chunk('lo "usage":{ you') + usage + 'data: [DONE]\n\n';

function recorded(text: string, cut: number, streaming = true): ResponseRecorder {
  const recorder = new ResponseRecorder(streaming);
  const bytes = Buffer.from(text);
  for (let i = 0; i < bytes.length; i += cut) recorder.push(bytes.subarray(i, i + cut));
  return recorder;
}

describe('ResponseRecorder', () => {
  it.each([1, 7, 64, 100_000])('finds the usage chunk and the delivered text with chunks of %i bytes', (cut) => {
    const recorder = recorded(sse, cut);
    expect(recorder.usage()).toEqual({ promptTokens: 12, completionTokens: 3 });
    expect(recorder.deliveredText()).toBe('Hello "usage":{ you');
  });

  it('has no usage when the stream broke off before the usage chunk', () => {
    const recorder = recorded(chunk('Hel') + chunk('lo'), 10);
    expect(recorder.usage()).toBeUndefined();
    expect(recorder.deliveredText()).toBe('Hello');
  });

  it('reads usage and text of a whole JSON answer', () => {
    const body = JSON.stringify({ choices: [{ message: { content: 'Hi there' } }], usage: { prompt_tokens: 4, completion_tokens: 2 } });
    const recorder = recorded(body, 5, false);
    expect(recorder.usage()).toEqual({ promptTokens: 4, completionTokens: 2 });
    expect(recorder.deliveredText()).toBe('Hi there');
    expect(recorded(body.slice(0, 20), 5, false).usage()).toBeUndefined();
    const nested = JSON.stringify({ choices: [{ message: { content: '"usage":{ "x": "}" }' } }], usage: { prompt_tokens: 9, completion_tokens: 1, prompt_tokens_details: { cached_tokens: 0 } }, system_fingerprint: 'fp' });
    expect(recorded(nested, 3, false).usage()).toEqual({ promptTokens: 9, completionTokens: 1 });
  });

  it('ignores usage that is not a pair of non-negative integers', () => {
    const bad = `data: ${JSON.stringify({ choices: [], usage: { prompt_tokens: -1, completion_tokens: 2 } })}\n\n`;
    expect(recorded(bad, 50).usage()).toBeUndefined();
  });
});
