import { useQuery } from '@tanstack/react-query';
import { api, ApiError } from './http';
import type { Role, Session } from './types';

export const SESSION_KEY = ['session'] as const;

/** The signed-in person, or null without a valid session cookie. */
export async function fetchSession(): Promise<Session | null> {
  try {
    return await api<Session>('GET', '/v1/auth/session');
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

/** `enabled` false: no request (the sign-in pages, where a signed-out 401 is the normal case). */
export function useSession(enabled = true) {
  return useQuery({ queryKey: SESSION_KEY, queryFn: fetchSession, staleTime: 60_000, enabled });
}

/** Where each role starts: admins run the instance, members chat. */
export function homeFor(role: Role): string {
  if (role === 'owner' || role === 'admin') return '/admin';
  if (role === 'auditor') return '/account';
  return '/chat';
}
