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
  /** Unset = DEFAULT_RETENTION; once changed, all three periods are stored. */
  retention?: RetentionSettings;
  /** Version of the message-logging notice members acknowledge; empty while logging is off. */
  messageLoggingNoticeVersion: string;
}

/** Retention periods in days, enforced by each service's own retention job. */
export interface RetentionSettings {
  /** 0 = conversations are kept until the member deletes them. */
  conversationDays: number;
  securityLogDays: number;
  usageDetailDays: number;
}

export const DEFAULT_RETENTION: Readonly<RetentionSettings> = { conversationDays: 0, securityLogDays: 90, usageDetailDays: 365 };
export const RETENTION_MAX_DAYS = 3650;
export const SECURITY_LOG_MIN_DAYS = 1;
export const USAGE_DETAIL_MIN_DAYS = 30;
/** The notice version given when logging is switched on without one. */
export const DEFAULT_NOTICE_VERSION = '1';
export const NOTICE_VERSION = /^[A-Za-z0-9._-]{1,32}$/;

/** The periods in force: the stored ones, or the defaults when none were ever set. */
export function effectiveRetention(settings: Pick<TenantSettings, 'retention'>): RetentionSettings {
  return { ...(settings.retention ?? DEFAULT_RETENTION) };
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
  problems.push(...retentionProblems(settings.retention), ...noticeProblems(settings));
  return problems;
}

function retentionProblems(retention: RetentionSettings | undefined): string[] {
  if (!retention) return [];
  const problems: string[] = [];
  const within = (value: number, min: number) => Number.isInteger(value) && value >= min && value <= RETENTION_MAX_DAYS;
  if (!(retention.conversationDays === 0 || within(retention.conversationDays, 1))) {
    problems.push(`retention.conversationDays must be 0 (keep) or 1-${RETENTION_MAX_DAYS}`);
  }
  if (!within(retention.securityLogDays, SECURITY_LOG_MIN_DAYS)) {
    problems.push(`retention.securityLogDays must be ${SECURITY_LOG_MIN_DAYS}-${RETENTION_MAX_DAYS}`);
  }
  if (!within(retention.usageDetailDays, USAGE_DETAIL_MIN_DAYS)) {
    problems.push(`retention.usageDetailDays must be ${USAGE_DETAIL_MIN_DAYS}-${RETENTION_MAX_DAYS}`);
  }
  return problems;
}

function noticeProblems(settings: TenantSettings): string[] {
  const version = settings.messageLoggingNoticeVersion;
  if (settings.messageLogging && !NOTICE_VERSION.test(version)) {
    return ['messageLoggingNoticeVersion must be 1-32 characters of A-Z a-z 0-9 . _ - while messageLogging is on'];
  }
  if (!settings.messageLogging && version !== '') return ['messageLoggingNoticeVersion must be empty while messageLogging is off'];
  return [];
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
    a.allowedModels.every((model, i) => model === b.allowedModels[i]) &&
    a.messageLoggingNoticeVersion === b.messageLoggingNoticeVersion &&
    sameRetention(a.retention, b.retention)
  );
}

function sameRetention(a: RetentionSettings | undefined, b: RetentionSettings | undefined): boolean {
  if (!a || !b) return a === b;
  return a.conversationDays === b.conversationDays && a.securityLogDays === b.securityLogDays && a.usageDetailDays === b.usageDetailDays;
}
