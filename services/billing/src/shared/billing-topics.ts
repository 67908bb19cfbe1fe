// The topics billing consumes and produces, from the typed bus map. `suffix` exists only so
// integration tests can run on topics of their own; services use the real names.
import { TOPICS, type auditV1, type billingV1, type chatGatewayV1, type tenantV1 } from '@enclave/proto';
import { defineTopic, type Topic } from '@enclave/eventing';

export interface BillingTopics {
  chatGateway: Topic<chatGatewayV1.ChatGatewayEvent>;
  tenant: Topic<tenantV1.TenantEvent>;
  billing: Topic<billingV1.BillingEvent>;
  audit: Topic<auditV1.AuditEvent>;
}

export function billingTopics(suffix = ''): BillingTopics {
  return {
    chatGateway: defineTopic(TOPICS.chatGateway.name + suffix, TOPICS.chatGateway.codec),
    tenant: defineTopic(TOPICS.tenant.name + suffix, TOPICS.tenant.codec),
    billing: defineTopic(TOPICS.billing.name + suffix, TOPICS.billing.codec),
    audit: defineTopic(TOPICS.audit.name + suffix, TOPICS.audit.codec),
  };
}
