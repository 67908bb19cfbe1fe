import { tenantId } from '@enclave/eventing';
import { lastFourOf } from '../domain/key-format';
import { decide, initialVirtualKeyState, type KeyActor, type VirtualKeyLimits } from '../domain/virtual-key';
import type { VirtualKeyHasher } from '../infrastructure/key-hasher';
import { streamIdFor, toNewVirtualKeyEvent } from '../infrastructure/virtual-key-event-encoding';
import type { VirtualKeyRepository } from '../infrastructure/virtual-key.repository';
import type { KeyEventAppender } from './ports';
import { toView, type VirtualKeyView } from './virtual-key-view';

export interface IssueVirtualKeyDeps {
  store: KeyEventAppender;
  keys: VirtualKeyRepository;
  hasher: VirtualKeyHasher;
  newId: () => string;
  clock: () => number;
  onAppended: () => void;
  /** VIRTUAL_KEY_DEFAULT_RATE_PER_MINUTE: for keys created without a rate limit. */
  defaultRatePerMinute: number;
}

export interface IssueVirtualKeyInput {
  label: string;
  rateLimitPerMinute?: number;
  monthlyTokenLimit: number | null;
  allowedModels: string[];
}

/**
 * Issues a key: VirtualKeyCreated first (the outbox: the audit trail learns of every key that
 * could ever work), then the read-model document under the key's hash. The key is returned
 * here once and exists nowhere else. If the document write fails the caller gets an error and
 * never sees the key, so the recorded key is unusable: harmless, and the admin simply retries.
 */
export class IssueVirtualKey {
  constructor(private readonly deps: IssueVirtualKeyDeps) {}

  async execute(tenant: string, actor: KeyActor, input: IssueVirtualKeyInput): Promise<{ key: string; view: VirtualKeyView }> {
    const { deps } = this;
    const keyId = deps.newId();
    const limits: VirtualKeyLimits = {
      rateLimitPerMinute: input.rateLimitPerMinute ?? deps.defaultRatePerMinute,
      monthlyTokenLimit: input.monthlyTokenLimit,
      allowedModels: [...new Set(input.allowedModels)],
    };
    const events = decide({ type: 'CreateVirtualKey', tenantId: tenant, keyId, actor, limits }, initialVirtualKeyState);
    const { key, hash } = deps.hasher.issue();
    for (const event of events) await deps.store.append(streamIdFor(event), 0, [toNewVirtualKeyEvent(event)]);
    deps.onAppended();
    const doc = {
      _id: hash,
      keyId,
      label: input.label,
      lastFour: lastFourOf(key),
      ...limits,
      createdAt: new Date(deps.clock()),
      createdBy: actor.subjectId,
      revokedAt: null,
      lastUsedAt: null,
    };
    await deps.keys.add(tenantId(tenant), doc);
    return { key, view: toView({ ...doc, tenantId: tenant }) };
  }
}
