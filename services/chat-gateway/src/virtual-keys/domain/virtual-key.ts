// A tenant virtual key for the OpenAI-compatible API, as a pure decider. The key itself and its
// hash never appear here: they are infrastructure (key-hasher) and the read model's _id.
import { assertNever } from '../../shared/assert-never';

export interface VirtualKeyLimits {
  /** Requests per minute with this key. */
  rateLimitPerMinute: number;
  /** Tokens per UTC month with this key; null = only the tenant's quota applies. */
  monthlyTokenLimit: number | null;
  /** Models the key may use (within the tenant's); empty = all of the tenant's. */
  allowedModels: string[];
}

export interface KeyActor {
  subjectId: string;
  role: string;
}

export type VirtualKeyState =
  | { status: 'none' }
  | { status: 'active'; tenantId: string; keyId: string; limits: VirtualKeyLimits }
  | { status: 'revoked'; tenantId: string; keyId: string };

export type VirtualKeyCommand =
  | { type: 'CreateVirtualKey'; tenantId: string; keyId: string; actor: KeyActor; limits: VirtualKeyLimits }
  | { type: 'RevokeVirtualKey'; tenantId: string; keyId: string; actor: KeyActor };

export type VirtualKeyEvent =
  | { type: 'VirtualKeyCreated'; tenantId: string; keyId: string; actor: KeyActor; limits: VirtualKeyLimits }
  | { type: 'VirtualKeyRevoked'; tenantId: string; keyId: string; actor: KeyActor };

export class VirtualKeyNotFoundError extends Error {
  override readonly name = 'VirtualKeyNotFoundError';
  constructor() {
    super('virtual key not found');
  }
}

export class VirtualKeyExistsError extends Error {
  override readonly name = 'VirtualKeyExistsError';
  constructor() {
    super('a virtual key with this id already exists');
  }
}

export const initialVirtualKeyState: VirtualKeyState = { status: 'none' };

/**
 * Create: only once per id. Revoke: only the owning tenant's key (another tenant's id is "not
 * found", never "forbidden"); revoking a revoked key changes nothing (DELETE is idempotent).
 */
export function decide(command: VirtualKeyCommand, state: VirtualKeyState): VirtualKeyEvent[] {
  switch (command.type) {
    case 'CreateVirtualKey':
      if (state.status !== 'none') throw new VirtualKeyExistsError();
      return [{ type: 'VirtualKeyCreated', tenantId: command.tenantId, keyId: command.keyId, actor: command.actor, limits: command.limits }];
    case 'RevokeVirtualKey':
      if (state.status === 'none' || state.tenantId !== command.tenantId || state.keyId !== command.keyId) {
        throw new VirtualKeyNotFoundError();
      }
      if (state.status === 'revoked') return [];
      return [{ type: 'VirtualKeyRevoked', tenantId: command.tenantId, keyId: command.keyId, actor: command.actor }];
    default:
      return assertNever(command);
  }
}

export function evolve(state: VirtualKeyState, event: VirtualKeyEvent): VirtualKeyState {
  switch (event.type) {
    case 'VirtualKeyCreated':
      return { status: 'active', tenantId: event.tenantId, keyId: event.keyId, limits: event.limits };
    case 'VirtualKeyRevoked':
      return state.status === 'none' ? state : { status: 'revoked', tenantId: state.tenantId, keyId: state.keyId };
    default:
      return assertNever(event);
  }
}
