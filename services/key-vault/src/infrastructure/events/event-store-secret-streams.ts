import { eventsV1 } from '@enclave/proto';
import type { EventStore, NewEvent, TenantId } from '@enclave/eventing';
import { uuidv7 } from '@enclave/platform';
import type { Actor, RewrapJournal, SecretRef, SecretStreams } from '../../application/ports';
import type { DataKeysRewrapped } from '../../domain/kek/data-keys-rewrapped';
import { evolve } from '../../domain/secret/secret.decider';
import type { SecretEvent } from '../../domain/secret/secret.events';
import type { SecretState } from '../../domain/secret/secret.state';
import type { MongoSecretViews } from '../mongo/secret-view.repository';
import { decodeSecretEvent, encodeKeyVaultEvent, envelopeType, type KeyVaultDomainEvent } from './key-vault-event-codec';
import { decryptionStreamId, rewrapStreamId, secretStreamId } from './stream-ids';

/**
 * Secret streams (`provider-key-<id>`, `tenant-secret-<id>`) in the service's event store (the
 * outbox); the read model is the snapshot and only events after its version are read.
 * Decryptions go to `<stream>-decryption-<id>`, one event each, and only move lastUsedAt.
 */
export class EventStoreSecretStreams implements SecretStreams, RewrapJournal {
  constructor(
    private readonly store: EventStore,
    private readonly views: MongoSecretViews,
    private readonly newId: () => string = uuidv7,
  ) {}

  async load(ref: SecretRef): Promise<{ state: SecretState | null; version: number }> {
    const snapshot = await this.views.snapshot(ref.tenantId, ref.secretId);
    const base = snapshot ?? { state: null, version: 0 };
    const newer = await this.store.readStream(secretStreamId(ref.kind, ref.secretId), { tenantId: ref.tenantId, afterVersion: base.version });
    if (newer.length === 0) return base;
    const state = newer.map(decodeSecretEvent).reduce(evolve, base.state);
    const version = newer[newer.length - 1]!.version;
    // The read model was behind (the process stopped between append and projection): repair it.
    if (state) await this.views.save(ref.tenantId, state, version);
    return { state, version };
  }

  async snapshot(ref: SecretRef): Promise<{ state: SecretState | null; version: number }> {
    return (await this.views.snapshot(ref.tenantId, ref.secretId)) ?? this.load(ref);
  }

  async current(ref: SecretRef): Promise<SecretState | null> {
    return (await this.snapshot(ref)).state;
  }

  async append(
    ref: SecretRef,
    expected: { state: SecretState | null; version: number },
    events: SecretEvent[],
    actor: Actor,
  ): Promise<{ state: SecretState | null; version: number }> {
    const result = await this.store.append(secretStreamId(ref.kind, ref.secretId), expected.version, toNewEvents(ref.tenantId, events, actor));
    const state = result.events.map(decodeSecretEvent).reduce(evolve, expected.state);
    if (state) await this.views.save(ref.tenantId, state, result.version);
    return { state, version: result.version };
  }

  async appendDecryption(ref: SecretRef, events: SecretEvent[], actor: Actor, { touchLastUsed = true } = {}): Promise<void> {
    const result = await this.store.append(decryptionStreamId(ref.kind, ref.secretId, this.newId()), 0, toNewEvents(ref.tenantId, events, actor));
    if (!touchLastUsed) return;
    for (const event of result.events.map(decodeSecretEvent)) {
      if (event.type === 'SecretDecrypted') await this.views.touchLastUsed(ref.tenantId, ref.secretId, event.decryptedAt);
    }
  }

  async record(tenant: TenantId, event: DataKeysRewrapped, actor: Actor): Promise<void> {
    await this.store.append(rewrapStreamId(this.newId()), 0, toNewEvents(tenant, [event], actor));
  }
}

function toNewEvents(tenant: TenantId, events: KeyVaultDomainEvent[], actor: Actor): NewEvent[] {
  return events.map((event) => ({ type: envelopeType(event), tenantId: tenant, actor: toProtoActor(actor), payload: encodeKeyVaultEvent(event) }));
}

export function toProtoActor(actor: Actor): eventsV1.Actor {
  switch (actor.kind) {
    case 'person':
      return { kind: eventsV1.ActorKind.ACTOR_KIND_PERSON, id: actor.subjectId, role: actor.role };
    case 'service':
      return { kind: eventsV1.ActorKind.ACTOR_KIND_SERVICE, id: actor.name, role: '' };
    case 'system':
      return { kind: eventsV1.ActorKind.ACTOR_KIND_SYSTEM, id: actor.name, role: '' };
  }
}
