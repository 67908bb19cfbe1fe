// Which model does a member chat or a virtual-key call get, given what it asked for, the tenant's
// menu and (for a key) the key's own list?
import { chooseModel, modelsFor } from './model-policy';

const tenant = { defaultModel: 'gpt-4o-mini', allowedModels: ['gpt-4o', 'gpt-4o-mini'] };

describe('a member (the whole tenant menu)', () => {
  it('given no request, then the tenant default, or the deployment fallback when the tenant set none', () => {
    expect(chooseModel(undefined, tenant, 'fallback')).toEqual({ ok: true, model: 'gpt-4o-mini' });
    expect(chooseModel('', { defaultModel: '', allowedModels: [] }, 'fallback')).toEqual({ ok: true, model: 'fallback' });
  });

  it('given an allowed list, then a listed model or the default is accepted, anything else refused naming the menu', () => {
    expect(chooseModel('b', { defaultModel: 'a', allowedModels: ['b', 'c'] }, 'x')).toEqual({ ok: true, model: 'b' });
    expect(chooseModel('a', { defaultModel: 'a', allowedModels: ['b'] }, 'x')).toEqual({ ok: true, model: 'a' });
    expect(chooseModel('z', { defaultModel: 'a', allowedModels: ['b'] }, 'x')).toEqual({ ok: false, model: 'z', allowed: ['a', 'b'] });
  });

  it('given no allowed list, then only the default model may be asked for', () => {
    expect(chooseModel('gpt-4o', { defaultModel: 'gpt-4o', allowedModels: [] }, 'x')).toEqual({ ok: true, model: 'gpt-4o' });
    expect(chooseModel('other', { defaultModel: 'gpt-4o', allowedModels: [] }, 'x')).toMatchObject({ ok: false });
  });
});

describe('a virtual key (the tenant menu narrowed by the key)', () => {
  it("lists the tenant's default first, then its allowed models, narrowed by the key", () => {
    expect(modelsFor(tenant, 'fallback', { allowedModels: [] })).toEqual(['gpt-4o-mini', 'gpt-4o']);
    expect(modelsFor(tenant, 'fallback', { allowedModels: ['gpt-4o', 'other'] })).toEqual(['gpt-4o']);
    expect(modelsFor({ defaultModel: '', allowedModels: [] }, 'fallback', { allowedModels: [] })).toEqual(['fallback']);
  });

  it('allows a requested model only when both the tenant and the key allow it', () => {
    expect(chooseModel('gpt-4o', tenant, 'f', { allowedModels: [] })).toEqual({ ok: true, model: 'gpt-4o' });
    expect(chooseModel('o1', tenant, 'f', { allowedModels: [] })).toMatchObject({ ok: false, model: 'o1' });
    expect(chooseModel('gpt-4o-mini', tenant, 'f', { allowedModels: ['gpt-4o'] })).toMatchObject({ ok: false, model: 'gpt-4o-mini' });
    expect(chooseModel('o1', tenant, 'f', { allowedModels: ['o1'] })).toMatchObject({ ok: false, model: 'o1' });
  });

  it("without a requested model: the tenant's default, or the key's first usable model", () => {
    expect(chooseModel(undefined, tenant, 'f', { allowedModels: [] })).toEqual({ ok: true, model: 'gpt-4o-mini' });
    expect(chooseModel(undefined, tenant, 'f', { allowedModels: ['gpt-4o'] })).toEqual({ ok: true, model: 'gpt-4o' });
    expect(chooseModel(undefined, tenant, 'f', { allowedModels: ['o1'] }).ok).toBe(false);
  });
});
