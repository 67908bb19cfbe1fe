export type Role = 'owner' | 'admin' | 'member' | 'auditor';

export interface Session {
  subjectId: string;
  tenantId: string;
  role: Role;
  expiresAt: string;
}

export interface ConversationSummary {
  id: string;
  title: string;
  createdAt: string;
  updatedAt: string;
}

export interface HistoryMessage {
  id: string;
  role: 'user' | 'assistant';
  content: string;
  createdAt: string;
}

export interface Conversation {
  id: string;
  title: string;
  messages: HistoryMessage[];
}

export interface TenantView {
  tenantId: string;
  instanceName: string;
  privacyPolicyUrl?: string;
  messageLogging: boolean;
  defaultModel: string;
  systemInstruction?: string;
  allowedModels?: string[];
}

export interface QuotaStatus {
  monthlyTokenQuota: number | null;
  used: number;
  remaining: number | null;
  warning: boolean;
  exhausted: boolean;
}

export interface Member {
  subjectId: string;
  role: Role;
  addedAt: string;
}

export interface ProviderKey {
  keyId: string;
  provider: string;
  label: string;
  lastFour: string;
  isDefault: boolean;
  createdAt: string;
}

export const CHAT_ROLES: readonly Role[] = ['owner', 'admin', 'member'];
export const ADMIN_ROLES: readonly Role[] = ['owner', 'admin'];
