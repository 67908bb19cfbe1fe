// How is a provider's answer to "list models" judged, and can the key ever come back in the verdict?
import { judgeModelsResponse, MAX_MODELS_SHOWN } from './connection-test';

const key = 'sk-test-connection-0123456789';
const models = (ids: unknown[]) => JSON.stringify({ object: 'list', data: ids.map((id) => ({ id, object: 'model' })) });

describe('judgeModelsResponse', () => {
  it('ok with the model ids', () => {
    expect(judgeModelsResponse(200, models(['gpt-4o', 'gpt-4o-mini']), key)).toEqual({ outcome: 'ok', models: ['gpt-4o', 'gpt-4o-mini'], modelCount: 2, status: 200 });
  });

  it('drops ids that echo the key or are not strings', () => {
    const verdict = judgeModelsResponse(200, models([`echo-${key}`, 42, '', 'fine']), key);
    expect(verdict.models).toEqual(['fine']);
    expect(JSON.stringify(verdict)).not.toContain(key);
  });

  it(`shows at most ${MAX_MODELS_SHOWN} ids but counts them all`, () => {
    const verdict = judgeModelsResponse(200, models(Array.from({ length: 250 }, (_, i) => `m${i}`)), key);
    expect(verdict.models).toHaveLength(MAX_MODELS_SHOWN);
    expect(verdict.modelCount).toBe(250);
  });

  it.each([
    [401, models([]), 'unauthorized'],
    [403, '', 'unauthorized'],
    [404, '', 'rejected'],
    [302, '', 'rejected'],
    [429, '', 'rejected'],
    [500, '', 'upstream_error'],
    [503, '', 'upstream_error'],
    [200, 'not json', 'bad_response'],
    [200, '{"data": "nope"}', 'bad_response'],
    [200, 'null', 'bad_response'],
  ])('status %i with body %p is %s, with no models', (status, body, outcome) => {
    expect(judgeModelsResponse(status, body, key)).toEqual({ outcome, models: [], modelCount: 0, status });
  });
});
