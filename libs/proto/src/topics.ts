// The typed bus: one map from Kafka topic to the protobuf message carried in the envelope's
// payload. Producers and consumers take their topic from here, so they cannot disagree.
import * as auditV1 from './gen/index.enclave.audit.v1';
import * as authV1 from './gen/index.enclave.auth.v1';
import * as billingV1 from './gen/index.enclave.billing.v1';
import * as chatGatewayV1 from './gen/index.enclave.chat_gateway.v1';
import * as keyVaultV1 from './gen/index.enclave.key_vault.v1';
import * as tenantV1 from './gen/index.enclave.tenant.v1';
import { BinaryWriter } from '@bufbuild/protobuf/wire';

export interface PayloadCodec<T> {
  encode(message: T, writer?: BinaryWriter): BinaryWriter;
  decode(input: Uint8Array): T;
}

export interface TopicSpec<T> {
  /** Kafka topic name: enclave.<service>.events.v1 */
  readonly name: string;
  /** Owning service. */
  readonly service: string;
  readonly codec: PayloadCodec<T>;
}

function topic<T>(service: string, codec: PayloadCodec<T>): TopicSpec<T> {
  return { name: `enclave.${service}.events.v1`, service, codec };
}

export const TOPICS = {
  tenant: topic('tenant', tenantV1.TenantEvent),
  auth: topic('auth', authV1.AuthEvent),
  keyVault: topic('key-vault', keyVaultV1.KeyVaultEvent),
  chatGateway: topic('chat-gateway', chatGatewayV1.ChatGatewayEvent),
  billing: topic('billing', billingV1.BillingEvent),
  audit: topic('audit', auditV1.AuditEvent),
} as const;

export type TopicKey = keyof typeof TOPICS;
export const ALL_TOPICS: ReadonlyArray<TopicSpec<unknown>> = Object.values(TOPICS) as TopicSpec<unknown>[];
