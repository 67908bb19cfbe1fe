// The session of a request as the tenant id and actor the use cases take. SessionGuard has
// already answered 404 unless the route's tenant is the session's.
import { eventsV1 } from '@enclave/proto';
import { tenantId as toTenantId, type Actor, type TenantId } from '@enclave/eventing';
import type { SessionClaims } from '@enclave/session';

export const tenantOf = (session: SessionClaims): TenantId => toTenantId(session.tenantId);

export const actorOf = (session: SessionClaims): Actor => ({
  kind: eventsV1.ActorKind.ACTOR_KIND_PERSON,
  id: session.subjectId,
  role: session.role,
});
