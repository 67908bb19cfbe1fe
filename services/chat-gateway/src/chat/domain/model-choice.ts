// Which model a chat may use. The tenant's allowed list, when set, is the menu (its default
// model is always on it); without a list only the tenant's default model is allowed, so a
// member cannot spend the tenant's key on a model nobody chose.

export interface ModelPolicy {
  /** The tenant's default model; empty when the tenant set none. */
  defaultModel: string;
  allowedModels: readonly string[];
}

export type ModelChoice =
  | { ok: true; model: string }
  | { ok: false; reason: 'model_not_allowed'; allowed: string[] };

/**
 * @param requested the model the member asked for, if any
 * @param fallbackModel the deployment's default (DEFAULT_MODEL) when the tenant set none
 */
export function chooseModel(requested: string | undefined, policy: ModelPolicy, fallbackModel: string): ModelChoice {
  const defaultModel = policy.defaultModel || fallbackModel;
  if (requested === undefined || requested === '') return { ok: true, model: defaultModel };
  const allowed = policy.allowedModels.length > 0 ? [...policy.allowedModels] : [];
  if (!allowed.includes(defaultModel)) allowed.push(defaultModel);
  return allowed.includes(requested) ? { ok: true, model: requested } : { ok: false, reason: 'model_not_allowed', allowed };
}
