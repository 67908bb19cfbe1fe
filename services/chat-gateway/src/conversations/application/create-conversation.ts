import { tenantId } from '@enclave/eventing';
import type { EventAppender } from '../../events/infrastructure/buffered-event-writer';
import { toNewEvent } from '../../events/infrastructure/event-encoding';
import type { Clock } from '../../shared/clock';
import type { Caller } from '../../shared/roles';
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
  clock: Clock;
  newId: () => string;
  /** Called after the event is stored (nudges the outbox relay). */
  onAppended: () => void;
}

/**
 * Starts a conversation: ConversationCreated is appended first (the fact; the store is the
 * outbox), then the read model row is written. The title stays in the read model only.
 */
export class CreateConversation {
  constructor(private readonly deps: CreateConversationDeps) {}

  async execute(caller: Caller, title: string | undefined): Promise<CreatedConversation> {
    const id = this.deps.newId();
    const events = decide({ type: 'StartConversation', conversationId: id, caller }, initialConversation);
    await this.deps.store.append(`conversation-${id}`, 0, events.map(toNewEvent));
    this.deps.onAppended();
    const now = new Date(this.deps.clock());
    const doc = { _id: id, subjectId: caller.subjectId, title: normalizeTitle(title), createdAt: now, updatedAt: now };
    await this.deps.conversations.create(tenantId(caller.tenantId), doc);
    return { id, title: doc.title, createdAt: now.toISOString() };
  }
}
