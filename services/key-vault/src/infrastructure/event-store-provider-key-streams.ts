import { eventsV1 } from '@enclave/proto';
import type { EventStore, NewEvent, TenantId } from '@enclave/eventing';
import { uuidv7 } from '@enclave/platform';
import type { Actor, ProviderKeyStreams } from '../application/ports';
import { evolve, type ProviderKeyState } from '../domain/provider-key/provider-key.decider';
import type { ProviderKeyEvent } from '../domain/provider-key/provider-key.events';
import type { MongoProviderKeyViews } from './mongo/provider-key-view.repository';
import { decodeStoredEvent, encodeKeyVaultEvent, envelopeType } from './provider-key-event-codec';
import { decryptionStreamId, providerKeyStreamId } from './provider-key-stream-ids';

/**
 * Provider key streams `provider-key-<keyId>` in the service's event store (the outbox); the
 * read model is the snapshot and only the events after its version are read. Decryptions go to
 * `provider-key-<keyId>-decryption-<id>`, one event each, and only move the view's lastUsedAt.
 */
export class EventStoreProviderKeyStreams implements ProviderKeyStreams {
  constructor(
    private readonly store: EventStore,
    private readonly views: MongoProviderKeyViews,
    private readonly newId: () => string = uuidv7,
  ) {}

  async load(tenant: TenantId, keyId: string): Promise<{ state: ProviderKeyState | null; version: number }> {
    const snapshot = await this.views.snapshot(tenant, keyId);
    const base = snapshot ?? { state: null, version: 0 };
    const newer = await this.store.readStream(providerKeyStreamId(keyId), { tenantId: tenant, afterVersion: base.version });
    if (newer.length === 0) return base;
    const state = newer.map(decodeStoredEvent).reduce(evolve, base.state);
    const version = newer[newer.length - 1]!.version;
    // The read model was behind (the process stopped between append and projection): repair it.
    if (state) await this.views.save(tenant, state, version);
    return { state, version };
  }

  async append(
    tenant: TenantId,
    keyId: string,
    expected: { state: ProviderKeyState | null; version: number },
    events: ProviderKeyEvent[],
    actor: Actor,
  ): Promise<{ state: ProviderKeyState | null; version: number }> {
    const result = await this.store.append(providerKeyStreamId(keyId), expected.version, toNewEvents(tenant, events, actor));
    const state = result.events.map(decodeStoredEvent).reduce(evolve, expected.state);
    if (state) await this.views.save(tenant, state, result.version);
    return { state, version: result.version };
  }

  async appendDecryption(tenant: TenantId, keyId: string, events: ProviderKeyEvent[], actor: Actor): Promise<void> {
    const result = await this.store.append(decryptionStreamId(keyId, this.newId()), 0, toNewEvents(tenant, events, actor));
    for (const event of result.events.map(decodeStoredEvent)) {
      if (event.type === 'ProviderKeyDecrypted') await this.views.touchLastUsed(tenant, keyId, event.decryptedAt);
    }
  }
}

function toNewEvents(tenant: TenantId, events: ProviderKeyEvent[], actor: Actor): NewEvent[] {
  return events.map((event) => ({
    type: envelopeType(event),
    tenantId: tenant,
    actor: toProtoActor(actor),
    payload: encodeKeyVaultEvent(event),
  }));
}

export function toProtoActor(actor: Actor): eventsV1.Actor {
  return actor.kind === 'person'
    ? { kind: eventsV1.ActorKind.ACTOR_KIND_PERSON, id: actor.subjectId, role: actor.role }
    : { kind: eventsV1.ActorKind.ACTOR_KIND_SERVICE, id: actor.name, role: '' };
}
