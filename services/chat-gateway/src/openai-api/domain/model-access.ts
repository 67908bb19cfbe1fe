// Which models a virtual key may use: the tenant's (its allowed models plus its default, as in
// the conversation API), narrowed to the key's own list when the key has one.

export interface TenantModelPolicy {
  defaultModel: string;
  allowedModels: readonly string[];
}

export interface KeyModelPolicy {
  allowedModels: readonly string[];
}

/** The tenant's default, or DEFAULT_MODEL when the tenant set none. */
export function tenantDefault(policy: TenantModelPolicy, fallbackModel: string): string {
  return policy.defaultModel || fallbackModel;
}

function tenantAllows(model: string, policy: TenantModelPolicy, fallbackModel: string): boolean {
  return model === tenantDefault(policy, fallbackModel) || policy.allowedModels.includes(model);
}

/** Models listed by GET /v1/models for this key, in a stable order. */
export function modelsForKey(policy: TenantModelPolicy, fallbackModel: string, key: KeyModelPolicy): string[] {
  const tenant = [tenantDefault(policy, fallbackModel)];
  for (const model of policy.allowedModels) if (!tenant.includes(model)) tenant.push(model);
  return key.allowedModels.length === 0 ? tenant : tenant.filter((model) => key.allowedModels.includes(model));
}

export type ApiModelChoice = { ok: true; model: string } | { ok: false; model: string };

/** No model requested: the tenant's default if the key may use it, else the key's first usable one. */
export function chooseApiModel(requested: string | undefined, policy: TenantModelPolicy, fallbackModel: string, key: KeyModelPolicy): ApiModelChoice {
  const keyAllows = (model: string) => key.allowedModels.length === 0 || key.allowedModels.includes(model);
  if (requested !== undefined) {
    return { ok: tenantAllows(requested, policy, fallbackModel) && keyAllows(requested), model: requested };
  }
  const fallback = tenantDefault(policy, fallbackModel);
  if (keyAllows(fallback)) return { ok: true, model: fallback };
  const usable = modelsForKey(policy, fallbackModel, key)[0];
  return usable === undefined ? { ok: false, model: fallback } : { ok: true, model: usable };
}
