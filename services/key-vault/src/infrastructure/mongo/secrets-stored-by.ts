import type { Connection } from 'mongoose';
import type { TenantId } from '@enclave/eventing';
import { eventsV1 } from '@enclave/proto';
import type { SecretsStoredBy } from '../../application/subject-key-ports';
import type { SecretState } from '../../domain/secret/secret.state';
import { EVENT_TYPE_PREFIX } from '../events/key-vault-event-codec';
import { secretOfStream } from '../events/stream-ids';
import type { MongoSecretViews } from './secret-view.repository';

const STORED_TYPES = [`${EVENT_TYPE_PREFIX}ProviderKeyStored`, `${EVENT_TYPE_PREFIX}TenantSecretStored`];

/**
 * Who stored a secret is only in its stream's first event (the envelope's actor): find the
 * person's Stored events of the tenant, then read each secret's read model. Used for access
 * exports only (rare), so the scan of the tenant's events is acceptable.
 */
export class EventStoreSecretsStoredBy implements SecretsStoredBy {
  constructor(
    private readonly connection: Connection,
    private readonly views: MongoSecretViews,
    private readonly eventsCollection = 'events',
  ) {}

  async storedBy(tenant: TenantId, subjectId: string): Promise<SecretState[]> {
    const docs = await this.connection
      .collection(this.eventsCollection)
      .find(
        { tenantId: tenant, type: { $in: STORED_TYPES }, 'actor.kind': eventsV1.ActorKind.ACTOR_KIND_PERSON, 'actor.id': subjectId },
        { projection: { streamId: 1 } },
      )
      .toArray();
    const ids = [...new Set(docs.map((d) => secretOfStream(String(d.streamId))?.secretId).filter((id): id is string => !!id))];
    const states: SecretState[] = [];
    for (const id of ids) {
      const snapshot = await this.views.snapshot(tenant, id);
      if (snapshot) states.push(snapshot.state);
    }
    return states.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  }
}
