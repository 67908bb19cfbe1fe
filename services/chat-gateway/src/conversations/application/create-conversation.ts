import { tenantId } from '@enclave/eventing';
import type { EventAppender } from '../../events/application/ports';
import { toNewEvent } from '../../events/infrastructure/event-encoding';
import type { Clock } from '../../shared/clock';
import type { Caller } from '../../shared/roles';
import { PrivacyRefusedError } from '../../privacy/application/privacy-errors';
import type { PrivacyRegistry } from '../../privacy/application/privacy-registry';
import { decideSelfAccess } from '../../privacy/domain/privacy-state';
import type { HistoryCipher } from './history-cipher';
import { decide, initialConversation, normalizeTitle } from '../domain/conversation';
import type { ConversationRepository } from '../infrastructure/conversation.repository';

export interface CreatedConversation {
  id: string;
  title: string;
  createdAt: string;
}

export interface CreateConversationDeps {
  store: EventAppender;
  conversations: ConversationRepository;
  privacy: PrivacyRegistry;
  cipher: HistoryCipher;
  clock: Clock;
  newId: () => string;
  /** Called after the event is stored (nudges the outbox relay). */
  onAppended: () => void;
}

/**
 * Starts a conversation: ConversationCreated is appended first (the fact; the store is the
 * outbox), then the read model row is written. The title stays in the read model only,
 * sealed with the member's key. Refused (403) for a frozen or restricted person.
 */
export class CreateConversation {
  constructor(private readonly deps: CreateConversationDeps) {}

  async execute(caller: Caller, rawTitle: string | undefined): Promise<CreatedConversation> {
    const refusal = decideSelfAccess(this.deps.privacy.get(caller.tenantId, caller.subjectId), 'start_conversation');
    if (refusal) throw PrivacyRefusedError.of(refusal);
    const title = normalizeTitle(rawTitle);
    // Sealed first: a person whose key is gone (erased) gets no conversation and no event.
    const sealedTitle = await this.deps.cipher.sealTitle(caller.tenantId, caller.subjectId, title);
    const id = this.deps.newId();
    const events = decide({ type: 'StartConversation', conversationId: id, caller }, initialConversation);
    await this.deps.store.append(`conversation-${id}`, 0, events.map(toNewEvent));
    this.deps.onAppended();
    const now = new Date(this.deps.clock());
    const doc = { _id: id, subjectId: caller.subjectId, title: sealedTitle, createdAt: now, updatedAt: now };
    await this.deps.conversations.create(tenantId(caller.tenantId), doc);
    return { id, title, createdAt: now.toISOString() };
  }
}
