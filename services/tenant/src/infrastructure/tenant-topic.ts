import { TOPICS } from '@enclave/proto';
import { defineTopic } from '@enclave/eventing';

/** enclave.tenant.events.v1 carrying tenantV1.TenantEvent (from the typed bus map). */
export const TENANT_TOPIC = defineTopic(TOPICS.tenant.name, TOPICS.tenant.codec);
