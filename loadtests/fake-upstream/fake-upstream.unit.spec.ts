// Is the fake upstream's answer deterministic, and does it read faults and latency as documented?
/* eslint-disable @typescript-eslint/no-require-imports */
const { replyText, splitIntoChunks, usageFor } = require('./reply');
const { behaviourFor } = require('./behaviour');

describe('fake upstream reply', () => {
  const messages = [
    { role: 'system', content: 'hidden rules here' },
    { role: 'user', content: 'first question' },
    { role: 'assistant', content: 'an answer' },
    { role: 'user', content: '  hello   brave new world ' },
  ];

  it('echoes the word count and words of the last user message', () => {
    expect(replyText(messages)).toBe('Echo (4 words): hello brave new world');
  });

  it('splits into contiguous chunks that join back to the text', () => {
    const text = replyText(messages);
    expect(splitIntoChunks(text).join('')).toBe(text);
    expect(splitIntoChunks(text)).toHaveLength(7);
    const three = splitIntoChunks(text, 3);
    expect(three).toHaveLength(3);
    expect(three.join('')).toBe(text);
  });

  it('counts one token per word plus one per message', () => {
    expect(usageFor(messages, 'a b c')).toEqual({ prompt_tokens: 3 + 2 + 2 + 4 + 4, completion_tokens: 3, total_tokens: 18 });
  });
});

describe('fake upstream behaviour', () => {
  const defaults = { chunkDelayMs: 7 };

  it('reads faults and latency from the model name', () => {
    expect(behaviourFor('fault-500', {}, defaults)).toMatchObject({ fault: '500', latencyMs: 0, chunkDelayMs: 7 });
    expect(behaviourFor('fault-broken-stream', {}, defaults).fault).toBe('broken-stream');
    expect(behaviourFor('slow-250', {}, defaults)).toMatchObject({ fault: undefined, latencyMs: 250 });
    expect(behaviourFor('fault-unknown', {}, defaults).fault).toBeUndefined();
    expect(behaviourFor('gpt-4o-mini', {}, defaults).fault).toBeUndefined();
  });

  it('lets headers override the model name', () => {
    const headers = { 'x-fake-fault': 'hang', 'x-fake-latency-ms': '10', 'x-fake-chunk-delay-ms': '3', 'x-fake-chunks': '2' };
    expect(behaviourFor('slow-999', headers, defaults)).toEqual({ fault: 'hang', latencyMs: 10, chunkDelayMs: 3, chunks: 2 });
  });

  it('ignores malformed header numbers', () => {
    expect(behaviourFor('m', { 'x-fake-latency-ms': '-5', 'x-fake-chunks': 'x' }, defaults)).toEqual({
      fault: undefined,
      latencyMs: 0,
      chunkDelayMs: 7,
      chunks: undefined,
    });
  });
});
