import { TOPICS } from '@enclave/proto';
import { defineTopic } from '@enclave/eventing';

/** enclave.tenant.events.v1 carrying tenantV1.TenantEvent (from the typed bus map). */
export const TENANT_TOPIC = defineTopic(TOPICS.tenant.name, TOPICS.tenant.codec);

/** enclave.audit.events.v1 carrying auditV1.AuditEvent; `name` is overridden by tests only. */
export function auditTopic(name: string = TOPICS.audit.name) {
  return defineTopic(name, TOPICS.audit.codec);
}
