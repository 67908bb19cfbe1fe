import { TOPICS } from '@enclave/proto';
import { defineTopic } from '@enclave/eventing';

/** enclave.key-vault.events.v1 carrying keyVaultV1.KeyVaultEvent (from the typed bus map). */
export const KEY_VAULT_TOPIC = defineTopic(TOPICS.keyVault.name, TOPICS.keyVault.codec);
