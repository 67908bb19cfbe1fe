// Which models a metered completion may use, for both front doors. The tenant's menu is its
// default model (or the deployment's DEFAULT_MODEL when it set none) plus its allowed models, so
// nobody spends the tenant's key on a model nobody chose; a virtual key may narrow that menu to
// its own list. A member is a caller without a list of their own.

export interface TenantModelPolicy {
  /** Empty when the tenant set none. */
  defaultModel: string;
  allowedModels: readonly string[];
}

export interface KeyModelPolicy {
  /** Empty: the whole tenant menu. */
  allowedModels: readonly string[];
}

/** A member chat: no narrowing beyond the tenant's menu. */
export const WHOLE_MENU: KeyModelPolicy = { allowedModels: [] };

export type ModelChoice = { ok: true; model: string } | { ok: false; model: string; allowed: string[] };

/** The models this caller may use, the tenant's default first (GET /v1/models; the refusal's menu). */
export function modelsFor(tenant: TenantModelPolicy, fallbackModel: string, caller: KeyModelPolicy = WHOLE_MENU): string[] {
  const menu = [tenant.defaultModel || fallbackModel];
  for (const model of tenant.allowedModels) if (!menu.includes(model)) menu.push(model);
  return caller.allowedModels.length === 0 ? menu : menu.filter((model) => caller.allowedModels.includes(model));
}

/**
 * A requested model must be on the caller's menu. Without one: the tenant's default when the
 * caller may use it, else the caller's first usable model.
 */
export function chooseModel(requested: string | undefined, tenant: TenantModelPolicy, fallbackModel: string, caller: KeyModelPolicy = WHOLE_MENU): ModelChoice {
  const menu = modelsFor(tenant, fallbackModel, caller);
  const tenantDefault = tenant.defaultModel || fallbackModel;
  if (requested !== undefined && requested !== '') return menu.includes(requested) ? { ok: true, model: requested } : { ok: false, model: requested, allowed: menu };
  if (menu.includes(tenantDefault)) return { ok: true, model: tenantDefault };
  return menu[0] === undefined ? { ok: false, model: tenantDefault, allowed: menu } : { ok: true, model: menu[0] };
}
