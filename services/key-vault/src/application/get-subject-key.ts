import { randomBytes } from 'node:crypto';
import type { TenantId } from '@enclave/eventing';
import { NotFoundError } from '@enclave/platform';
import { subjectKeyAad } from '../domain/crypto/aad';
import { KEY_BYTES, zero } from '../domain/crypto/sealed-box';
import { decideKeyRequest, type SubjectKeyState } from '../domain/subject-key/subject-key';
import type { Clock, EventPublisher, KekProvider } from './ports';
import type { PrivacyJournal, StoredSubjectKey, SubjectKeyRepository } from './subject-key-ports';

/** The person's key was shredded (erasure): it is never served or created again. */
export class SubjectKeyShreddedError extends Error {
  override readonly name = 'SubjectKeyShreddedError';
  constructor() {
    super('subject key shredded');
  }
}

export interface GetSubjectKeyInput {
  tenantId: TenantId;
  subjectId: string;
  create: boolean;
  /** Verified service identity of the caller (the actor of SubjectKeyCreated). */
  caller: string;
}

export interface SubjectKeyDeps {
  kek: KekProvider;
  keys: SubjectKeyRepository;
  journal: PrivacyJournal;
  publisher: EventPublisher;
  clock: Clock;
  newId: () => string;
}

/**
 * A person's data key for sealing their personal fields, created on first use when asked.
 * Called on hot paths: reading an existing key writes nothing and records no event; creation
 * records SubjectKeyCreated once (the unique index lets one of two racing first uses win, and
 * the loser serves the winner's key). Returns the 32-byte key (the caller owns the buffer).
 */
export class GetSubjectKey {
  constructor(private readonly deps: SubjectKeyDeps) {}

  async execute(input: GetSubjectKeyInput): Promise<{ keyId: string; key: Buffer }> {
    const found = await this.deps.keys.lookup(input.tenantId, input.subjectId);
    const decision = decideKeyRequest(found?.state ?? { status: 'absent' }, input.create);
    switch (decision) {
      case 'serve':
        return this.serve(input, found!);
      case 'refuse-shredded':
        throw new SubjectKeyShreddedError();
      case 'not-found':
        throw new NotFoundError('the person has no subject key');
      case 'create':
        return this.create(input);
    }
  }

  private async create(input: GetSubjectKeyInput): Promise<{ keyId: string; key: Buffer }> {
    const { kek, keys } = this.deps;
    const keyId = this.deps.newId();
    const key = randomBytes(KEY_BYTES);
    const { kekVersion, wrapped } = await kek.wrap(key, subjectKeyAad(input.tenantId, input.subjectId, keyId));
    const inserted = await keys.insert({ tenantId: input.tenantId, subjectId: input.subjectId, keyId, kekVersion, wrappedKey: wrapped, createdAt: this.deps.clock() });
    if (!inserted) {
      zero(key);
      // Another first use won the race (or the person was erased meanwhile): answer from its key.
      const winner = await keys.lookup(input.tenantId, input.subjectId);
      if (!winner) throw new Error('subject key vanished after a conflicting insert');
      if (winner.state.status !== 'live') throw new SubjectKeyShreddedError();
      return this.serve(input, winner);
    }
    try {
      await this.announce(input, keyId);
    } catch (error) {
      zero(key);
      throw error;
    }
    return { keyId, key };
  }

  private async serve(input: GetSubjectKeyInput, stored: StoredSubjectKey): Promise<{ keyId: string; key: Buffer }> {
    const state = stored.state as Extract<SubjectKeyState, { status: 'live' }>;
    if (!stored.wrappedKey || stored.kekVersion === null) throw new SubjectKeyShreddedError();
    if (!stored.announced) await this.announce(input, state.keyId);
    const key = await this.deps.kek.unwrap(stored.wrappedKey, stored.kekVersion, subjectKeyAad(input.tenantId, input.subjectId, state.keyId));
    return { keyId: state.keyId, key };
  }

  /** SubjectKeyCreated, once per key (also repairs a creation whose event was never appended). */
  private async announce(input: GetSubjectKeyInput, keyId: string): Promise<void> {
    const appended = await this.deps.journal.keyCreated(
      { type: 'SubjectKeyCreated', tenantId: input.tenantId, subjectId: input.subjectId, keyId },
      { kind: 'service', name: input.caller },
    );
    await this.deps.keys.markAnnounced(input.tenantId, input.subjectId, keyId);
    if (appended) this.deps.publisher.nudge();
  }
}
