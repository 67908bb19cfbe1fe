import { useQuery } from '@tanstack/react-query';
import { api } from '../api/http';
import type { Conversation, ConversationSummary, QuotaStatus, Session, TenantView } from '../api/types';

export const conversationsKey = ['conversations'] as const;
export const conversationKey = (id: string) => ['conversation', id] as const;

export function useConversations(search: string) {
  const query = search.trim();
  return useQuery({
    queryKey: [...conversationsKey, query],
    queryFn: () =>
      api<{ conversations: ConversationSummary[] }>('GET', `/v1/conversations${query ? `?query=${encodeURIComponent(query)}` : ''}`).then((r) => r.conversations),
  });
}

export function useConversation(id: string | undefined) {
  return useQuery({
    queryKey: conversationKey(id ?? ''),
    queryFn: () => api<Conversation>('GET', `/v1/conversations/${encodeURIComponent(id!)}`),
    enabled: id !== undefined,
  });
}

export function useTenant(session: Session) {
  return useQuery({
    queryKey: ['tenant', session.tenantId],
    queryFn: () => api<TenantView>('GET', `/v1/tenants/${encodeURIComponent(session.tenantId)}`),
    staleTime: 60_000,
  });
}

/**
 * The models a person may pick: the allowed list when the role sees it (owners and admins), else
 * the instance's default model.
 */
export function modelsOf(tenant: TenantView | undefined): string[] {
  if (!tenant) return [];
  const allowed = tenant.allowedModels ?? [];
  if (allowed.length > 0) return allowed;
  return tenant.defaultModel ? [tenant.defaultModel] : []; // none: the gateway's own default
}

/** The monthly quota position (billing shows it to owners and admins). */
export function useQuota(session: Session, enabled: boolean) {
  return useQuery({
    queryKey: ['quota', session.tenantId],
    queryFn: () => api<{ quota: QuotaStatus }>('GET', `/v1/tenants/${encodeURIComponent(session.tenantId)}/usage`).then((r) => r.quota),
    enabled,
  });
}
