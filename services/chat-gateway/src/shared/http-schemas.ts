import { z } from 'zod';
import type { SessionClaims } from '@enclave/session';
import type { Caller } from './roles';

/** Ids we issue are UUIDv7; anything outside this shape is malformed input (400). */
export const IdParamsSchema = z.object({
  id: z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'expected a conversation id'),
});

export function callerOf(session: SessionClaims): Caller {
  return { tenantId: session.tenantId, subjectId: session.subjectId, role: session.role };
}
