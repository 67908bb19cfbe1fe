// Does the reader of a streamed answer give the content deltas in order and the final usage,
// whatever the network chunking, and skip what is not a content chunk?
import { CompletionStreamReader } from './completion-stream';

const chunk = (content: string) => `data: ${JSON.stringify({ choices: [{ delta: { content } }], usage: null })}\n\n`;
const usage = `data: ${JSON.stringify({ choices: [], usage: { prompt_tokens: 4, completion_tokens: 6, total_tokens: 10 } })}\n\n`;

describe('CompletionStreamReader', () => {
  it('gives the deltas in order, then the usage, ignoring [DONE]', () => {
    const reader = new CompletionStreamReader();
    expect(reader.push(Buffer.from(chunk('Hel') + chunk('lo')))).toEqual(['Hel', 'lo']);
    expect(reader.push(Buffer.from(usage + 'data: [DONE]\n\n'))).toEqual([]);
    expect(reader.usage).toEqual({ promptTokens: 4, completionTokens: 6 });
  });

  it('joins lines and multi-byte characters split across network chunks', () => {
    const whole = Buffer.from(chunk('héllo 😀') + chunk('!'));
    const reader = new CompletionStreamReader();
    const out = [...reader.push(whole.subarray(0, 20)), ...reader.push(whole.subarray(20, 31)), ...reader.push(whole.subarray(31))];
    expect(out).toEqual(['héllo 😀', '!']);
  });

  it('accepts CRLF and no space after data:, and skips comments, role-only chunks and garbage', () => {
    const reader = new CompletionStreamReader();
    const text = ': keep-alive\r\ndata:{"choices":[{"delta":{"role":"assistant"}}]}\r\n\r\ndata: not json\n\n' + chunk('x').replace(/\n/g, '\r\n');
    expect(reader.push(Buffer.from(text))).toEqual(['x']);
    expect(reader.usage).toBeUndefined();
  });
});
