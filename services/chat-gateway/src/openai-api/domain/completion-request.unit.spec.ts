// Which chat-completions requests are refused (400, naming the parameter), and what exactly is
// sent upstream for the accepted ones?
import { ApiError } from './api-errors';
import { parseCompletionRequest, promptTexts, requestSize, upstreamBody } from './completion-request';

const user = { role: 'user', content: 'hi' };

function refusal(body: unknown): ApiError {
  try {
    parseCompletionRequest(body);
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('parseCompletionRequest', () => {
  it('accepts a minimal request and the usual OpenAI parameters', () => {
    const parsed = parseCompletionRequest({ model: 'gpt-4o', messages: [user], temperature: 0.2, max_tokens: 5, tools: [], user: 'u1' });
    expect(parsed).toMatchObject({ model: 'gpt-4o', stream: false, messages: [user] });
    expect(parseCompletionRequest({ messages: [user], stream: true }).stream).toBe(true);
    expect(parseCompletionRequest({ messages: [{ role: 'assistant', content: null, tool_calls: [] }, { role: 'user', content: [{ type: 'text', text: 'x' }] }] }).messages).toHaveLength(2);
  });

  it.each([
    [null, null],
    [[user], null],
    [{ messages: [user], frobnicate: 1 }, 'frobnicate'],
    [{ messages: [] }, 'messages'],
    [{ messages: 'hi' }, 'messages'],
    [{}, 'messages'],
    [{ messages: [user, 'x'] }, 'messages[1]'],
    [{ messages: [{ role: 'root', content: 'x' }] }, 'messages[0].role'],
    [{ messages: [{ role: 'user', content: 5 }] }, 'messages[0].content'],
    [{ messages: [user], model: '' }, 'model'],
    [{ messages: [user], model: 'x'.repeat(201) }, 'model'],
    [{ messages: [user], stream: 'yes' }, 'stream'],
    [{ messages: [user], stream_options: [] }, 'stream_options'],
    [{ messages: [user], max_tokens: -1 }, 'max_tokens'],
    [{ messages: [user], max_tokens: 2.5 }, 'max_tokens'],
    [{ messages: [user], max_completion_tokens: '100' }, 'max_completion_tokens'],
    [{ messages: [user], n: 0 }, 'n'],
    [{ messages: [user], n: 129 }, 'n'],
  ])('refuses %j naming %s', (body, param) => {
    const error = refusal(body);
    expect(error.status).toBe(400);
    expect(error.type).toBe('invalid_request_error');
    expect(error.param).toBe(param);
  });

  it('answers in OpenAI error format', () => {
    expect(JSON.parse(refusal({ messages: [] }).body())).toEqual({
      error: { message: "'messages' must be a non-empty array.", type: 'invalid_request_error', param: 'messages', code: null },
    });
  });
});

describe('upstreamBody', () => {
  it('puts the hidden instruction first, sets the chosen model and keeps the client parameters', () => {
    const request = parseCompletionRequest({ model: 'gpt-4o', messages: [{ role: 'system', content: 'client system' }, user], temperature: 0 });
    expect(JSON.parse(upstreamBody(request, 'gpt-4o', 'house rules'))).toEqual({
      model: 'gpt-4o',
      temperature: 0,
      messages: [{ role: 'system', content: 'house rules' }, { role: 'system', content: 'client system' }, user],
    });
  });

  it('leaves the messages alone without an instruction and fills in the default model', () => {
    const request = parseCompletionRequest({ messages: [user] });
    expect(JSON.parse(upstreamBody(request, 'gpt-4o-mini', ''))).toEqual({ model: 'gpt-4o-mini', messages: [user] });
  });

  it('always asks a streamed answer for usage, keeping other stream options', () => {
    expect(JSON.parse(upstreamBody(parseCompletionRequest({ messages: [user], stream: true }), 'm', '')).stream_options).toEqual({ include_usage: true });
    const withOptions = parseCompletionRequest({ messages: [user], stream: true, stream_options: { include_usage: false, other: 1 } });
    expect(JSON.parse(upstreamBody(withOptions, 'm', '')).stream_options).toEqual({ include_usage: true, other: 1 });
  });

  it('lists the prompt texts for estimates, instruction and text parts included', () => {
    const request = parseCompletionRequest({ messages: [user, { role: 'user', content: [{ type: 'text', text: 'a' }, { type: 'image_url' }, { type: 'text', text: 'b' }] }] });
    expect(promptTexts(request, 'sys')).toEqual(['sys', 'hi', 'a b']);
  });
});

describe('requestSize (what the call reserves)', () => {
  it('estimates the prompt with the instruction, and takes max_completion_tokens before max_tokens, and n', () => {
    const request = parseCompletionRequest({ messages: [{ role: 'user', content: 'abcdefgh' }], max_tokens: 50, max_completion_tokens: 30, n: 2 });
    expect(requestSize(request, 'abcd')).toEqual({ promptTokens: 3, maxCompletionTokens: 30, choices: 2 });
    expect(requestSize(parseCompletionRequest({ messages: [user], max_tokens: 50 }), '')).toEqual({ promptTokens: 1, maxCompletionTokens: 50, choices: 1 });
  });

  it('leaves the cap open when the request sets none (null counts as none)', () => {
    expect(requestSize(parseCompletionRequest({ messages: [user], max_tokens: null }), '').maxCompletionTokens).toBeUndefined();
  });
});
