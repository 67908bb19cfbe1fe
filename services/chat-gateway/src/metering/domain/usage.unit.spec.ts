// How many tokens does a chat cost, from the upstream's report or, failing that, an estimate?
import { estimateTokens, usageFor } from './usage';

describe('estimateTokens', () => {
  it('rounds characters / 4 up', () => {
    expect(estimateTokens('')).toBe(0);
    expect(estimateTokens('abc')).toBe(1);
    expect(estimateTokens('abcd')).toBe(1);
    expect(estimateTokens('abcde')).toBe(2);
  });

  it('counts code points, not UTF-16 units', () => {
    expect(estimateTokens('😀😀😀😀')).toBe(1);
  });
});

describe('usageFor', () => {
  const base = { providerAnswered: true, promptTexts: ['system rules', 'hello there'], deliveredText: 'Hi back' };

  it('given a completed stream with reported usage, then the report as is', () => {
    expect(usageFor({ ...base, outcome: 'ok', reported: { promptTokens: 12, completionTokens: 3 } })).toEqual({
      promptTokens: 12,
      completionTokens: 3,
      estimated: false,
    });
  });

  it('given no report, then both counts estimated from the texts', () => {
    expect(usageFor({ ...base, outcome: 'ok', reported: undefined })).toEqual({
      promptTokens: 3 + 3,
      completionTokens: 2,
      estimated: true,
    });
  });

  it('given an interrupted delivery with a report, then completion is estimated from what was delivered', () => {
    expect(usageFor({ ...base, outcome: 'client_aborted', reported: { promptTokens: 12, completionTokens: 300 } })).toEqual({
      promptTokens: 12,
      completionTokens: 2,
      estimated: true,
    });
  });

  it('given nothing delivered after a failure, then zero completion tokens', () => {
    expect(usageFor({ providerAnswered: true, promptTexts: ['abcd'], deliveredText: '', outcome: 'upstream_error', reported: undefined })).toEqual({
      promptTokens: 1,
      completionTokens: 0,
      estimated: true,
    });
  });

  it('given the provider never accepted the request, then nothing is billed', () => {
    expect(usageFor({ ...base, providerAnswered: false, deliveredText: '', outcome: 'upstream_error', reported: undefined })).toEqual({
      promptTokens: 0,
      completionTokens: 0,
      estimated: false,
    });
  });
});
