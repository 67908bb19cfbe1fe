// Which model does a chat get, given what the member asked for and the tenant's model policy?
import { chooseModel } from './model-choice';

describe('chooseModel', () => {
  it('given no request, then the tenant default model', () => {
    expect(chooseModel(undefined, { defaultModel: 'gpt-4o', allowedModels: [] }, 'fallback')).toEqual({ ok: true, model: 'gpt-4o' });
  });

  it('given no tenant default, then the deployment fallback', () => {
    expect(chooseModel('', { defaultModel: '', allowedModels: [] }, 'gpt-4o-mini')).toEqual({ ok: true, model: 'gpt-4o-mini' });
  });

  it('given an allowed list, then a listed model is accepted', () => {
    expect(chooseModel('b', { defaultModel: 'a', allowedModels: ['b', 'c'] }, 'x')).toEqual({ ok: true, model: 'b' });
  });

  it('given an allowed list, then the default model is accepted even if not listed', () => {
    expect(chooseModel('a', { defaultModel: 'a', allowedModels: ['b'] }, 'x')).toEqual({ ok: true, model: 'a' });
  });

  it('given an allowed list, then an unlisted model is refused, naming the menu', () => {
    expect(chooseModel('z', { defaultModel: 'a', allowedModels: ['b'] }, 'x')).toEqual({
      ok: false,
      reason: 'model_not_allowed',
      allowed: ['b', 'a'],
    });
  });

  it('given no allowed list, then only the default model may be asked for', () => {
    expect(chooseModel('gpt-4o', { defaultModel: 'gpt-4o', allowedModels: [] }, 'x')).toEqual({ ok: true, model: 'gpt-4o' });
    expect(chooseModel('other', { defaultModel: 'gpt-4o', allowedModels: [] }, 'x')).toMatchObject({ ok: false });
  });
});
