// Which models may a virtual key list and use, given the tenant's policy and the key's own list?
import { chooseApiModel, modelsForKey } from './model-access';

const tenant = { defaultModel: 'gpt-4o-mini', allowedModels: ['gpt-4o', 'gpt-4o-mini'] };

describe('model access', () => {
  it("lists the tenant's default first, then its allowed models, narrowed by the key", () => {
    expect(modelsForKey(tenant, 'fallback', { allowedModels: [] })).toEqual(['gpt-4o-mini', 'gpt-4o']);
    expect(modelsForKey(tenant, 'fallback', { allowedModels: ['gpt-4o', 'other'] })).toEqual(['gpt-4o']);
    expect(modelsForKey({ defaultModel: '', allowedModels: [] }, 'fallback', { allowedModels: [] })).toEqual(['fallback']);
  });

  it('allows a requested model only when both the tenant and the key allow it', () => {
    expect(chooseApiModel('gpt-4o', tenant, 'f', { allowedModels: [] })).toEqual({ ok: true, model: 'gpt-4o' });
    expect(chooseApiModel('o1', tenant, 'f', { allowedModels: [] })).toEqual({ ok: false, model: 'o1' });
    expect(chooseApiModel('gpt-4o-mini', tenant, 'f', { allowedModels: ['gpt-4o'] })).toEqual({ ok: false, model: 'gpt-4o-mini' });
    expect(chooseApiModel('o1', tenant, 'f', { allowedModels: ['o1'] })).toEqual({ ok: false, model: 'o1' });
  });

  it("without a requested model: the tenant's default, or the key's first usable model", () => {
    expect(chooseApiModel(undefined, tenant, 'f', { allowedModels: [] })).toEqual({ ok: true, model: 'gpt-4o-mini' });
    expect(chooseApiModel(undefined, tenant, 'f', { allowedModels: ['gpt-4o'] })).toEqual({ ok: true, model: 'gpt-4o' });
    expect(chooseApiModel(undefined, tenant, 'f', { allowedModels: ['o1'] }).ok).toBe(false);
  });
});
