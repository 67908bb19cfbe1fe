import { ConcurrencyError, tenantId } from '@enclave/eventing';
import { NotFoundError } from '@enclave/platform';
import { decide, VirtualKeyNotFoundError, type KeyActor, type VirtualKeyEvent, type VirtualKeyState } from '../domain/virtual-key';
import { streamIdFor, toNewVirtualKeyEvent } from '../infrastructure/virtual-key-event-encoding';
import type { VirtualKeyRepository } from '../infrastructure/virtual-key.repository';
import type { VirtualKeyDocument } from '../infrastructure/virtual-key.schema';
import type { KeyEventAppender } from './ports';
import type { VerifiedKeyCache } from './verified-key-cache';

export interface RevokeVirtualKeyDeps {
  store: KeyEventAppender;
  keys: VirtualKeyRepository;
  cache: VerifiedKeyCache;
  clock: () => number;
  onAppended: () => void;
}

/**
 * Revokes a key: VirtualKeyRevoked (every replica drops the key when it consumes it), then the
 * read model (new lookups fail), then this replica's cache at once. Idempotent: a retry after a
 * failed read-model write finds the event already recorded (ConcurrencyError on its once-only
 * stream) and completes the rest. Another tenant's key id is "not found".
 */
export class RevokeVirtualKey {
  constructor(private readonly deps: RevokeVirtualKeyDeps) {}

  async execute(tenant: string, actor: KeyActor, keyId: string): Promise<void> {
    const { deps } = this;
    const scoped = tenantId(tenant);
    const doc = await deps.keys.findByKeyId(scoped, keyId);
    let events: VirtualKeyEvent[];
    try {
      events = decide({ type: 'RevokeVirtualKey', tenantId: tenant, keyId, actor }, stateOf(doc));
    } catch (error) {
      if (error instanceof VirtualKeyNotFoundError) throw new NotFoundError(error.message);
      throw error;
    }
    for (const event of events) {
      try {
        await deps.store.append(streamIdFor(event), 0, [toNewVirtualKeyEvent(event)]);
        deps.onAppended();
      } catch (error) {
        if (!(error instanceof ConcurrencyError)) throw error;
      }
      await deps.keys.markRevoked(scoped, keyId, new Date(deps.clock()));
      deps.cache.revoke(keyId);
    }
  }
}

function stateOf(doc: VirtualKeyDocument | null): VirtualKeyState {
  if (!doc) return { status: 'none' };
  if (doc.revokedAt) return { status: 'revoked', tenantId: doc.tenantId, keyId: doc.keyId };
  return {
    status: 'active',
    tenantId: doc.tenantId,
    keyId: doc.keyId,
    limits: { rateLimitPerMinute: doc.rateLimitPerMinute, monthlyTokenLimit: doc.monthlyTokenLimit, allowedModels: doc.allowedModels },
  };
}
