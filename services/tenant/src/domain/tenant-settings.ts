// Tenant settings as the domain sees them, and the rules every value must satisfy.
export interface TenantSettings {
  instanceName: string;
  /** Hidden from members; chat-gateway applies it to every conversation. Empty = none. */
  systemInstruction: string;
  /** When on, admins may read members' chats (members are shown a notice). */
  messageLogging: boolean;
  /** Empty = none set. */
  privacyPolicyUrl: string;
  defaultModel: string;
  /** Empty = every model the tenant's provider offers is allowed. */
  allowedModels: string[];
}

export const INSTANCE_NAME_MAX = 100;
export const SYSTEM_INSTRUCTION_MAX = 20_000;
export const ALLOWED_MODELS_MAX = 100;
export const MODEL_NAME = /^[A-Za-z0-9._:/-]{1,100}$/;

/** Returns the reasons the settings are invalid (empty when valid). Never echoes the values. */
export function settingsProblems(settings: TenantSettings): string[] {
  const problems: string[] = [];
  const name = settings.instanceName;
  if (name.trim().length === 0 || name.length > INSTANCE_NAME_MAX) {
    problems.push(`instanceName must be 1-${INSTANCE_NAME_MAX} characters and not blank`);
  }
  if (settings.systemInstruction.length > SYSTEM_INSTRUCTION_MAX) {
    problems.push(`systemInstruction must be at most ${SYSTEM_INSTRUCTION_MAX} characters`);
  }
  if (settings.privacyPolicyUrl !== '' && !isAcceptablePolicyUrl(settings.privacyPolicyUrl)) {
    problems.push('privacyPolicyUrl must be an https URL (http only for localhost)');
  }
  if (!MODEL_NAME.test(settings.defaultModel)) {
    problems.push('defaultModel must be 1-100 characters of A-Z a-z 0-9 . _ : / -');
  }
  if (settings.allowedModels.length > ALLOWED_MODELS_MAX) {
    problems.push(`allowedModels may list at most ${ALLOWED_MODELS_MAX} models`);
  }
  if (settings.allowedModels.some((model) => !MODEL_NAME.test(model))) {
    problems.push('allowedModels entries must be 1-100 characters of A-Z a-z 0-9 . _ : / -');
  }
  if (new Set(settings.allowedModels).size !== settings.allowedModels.length) {
    problems.push('allowedModels must not repeat a model');
  }
  if (settings.allowedModels.length > 0 && !settings.allowedModels.includes(settings.defaultModel)) {
    problems.push('defaultModel must be one of allowedModels when allowedModels is set');
  }
  return problems;
}

function isAcceptablePolicyUrl(raw: string): boolean {
  if (raw.length > 2048) return false;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.username !== '' || url.password !== '') return false;
  if (url.protocol === 'https:') return url.hostname !== '';
  return url.protocol === 'http:' && url.hostname === 'localhost';
}

export function sameSettings(a: TenantSettings, b: TenantSettings): boolean {
  return (
    a.instanceName === b.instanceName &&
    a.systemInstruction === b.systemInstruction &&
    a.messageLogging === b.messageLogging &&
    a.privacyPolicyUrl === b.privacyPolicyUrl &&
    a.defaultModel === b.defaultModel &&
    a.allowedModels.length === b.allowedModels.length &&
    a.allowedModels.every((model, i) => model === b.allowedModels[i])
  );
}
