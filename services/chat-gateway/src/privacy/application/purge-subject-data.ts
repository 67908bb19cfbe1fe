import type { EventStore, TenantId } from '@enclave/eventing';
import type { Logger } from '@enclave/platform';
import type { HistoryCipher } from '../../conversations/application/history-cipher';
import type { ConversationRepository } from '../../conversations/infrastructure/conversation.repository';
import type { MessageRepository } from '../../conversations/infrastructure/message.repository';
import { toNewEvent } from '../../events/infrastructure/event-encoding';
import type { PrivacyStateRepository } from '../infrastructure/privacy-state.repository';
import type { PrivacyRegistry } from './privacy-registry';

export interface PurgeSubjectDataDeps {
  conversations: ConversationRepository;
  messages: MessageRepository;
  privacyRows: PrivacyStateRepository;
  /** Deletes the person's Redis keys; returns how many. */
  deleteRedisKeys: (tenantId: string, subjectId: string) => Promise<number>;
  registry: PrivacyRegistry;
  cipher: HistoryCipher;
  store: Pick<EventStore, 'appendOnce'>;
  onAppended: () => void;
  clock: () => number;
  logger: Logger;
}

export interface PurgeRequest {
  tenantId: TenantId;
  subjectId: string;
  requestId: string;
}

/**
 * Erasure (audit's SubjectPurgeRequested): deletes the person's conversations, messages,
 * privacy row and Redis counters, forgets them in memory (their key is shredded by key-vault),
 * then confirms with SubjectDataPurged on stream `subject-purge:<requestId>` at version 0, so a
 * redelivery purges again (nothing left) but never confirms twice. Virtual keys they created
 * stay: they belong to the tenant and only name the creator by pseudonymous id.
 */
export class PurgeSubjectData {
  constructor(private readonly deps: PurgeSubjectDataDeps) {}

  async execute(request: PurgeRequest): Promise<number> {
    const { deps } = this;
    const { tenantId, subjectId } = request;
    deps.registry.apply(tenantId, subjectId, { type: 'SubjectPurged', atMs: deps.clock() });
    deps.cipher.markShredded(tenantId, subjectId);
    // Messages first: a crash in between leaves conversations to find on redelivery, never orphans.
    const messages = await deps.messages.deleteOwned(tenantId, subjectId);
    const conversations = await deps.conversations.deleteOwned(tenantId, subjectId);
    const rows = await deps.privacyRows.remove(tenantId, subjectId);
    const redisKeys = await deps.deleteRedisKeys(tenantId, subjectId);
    const recordsDeleted = messages + conversations + rows + redisKeys;
    const confirmed = await deps.store.appendOnce(`subject-purge:${request.requestId}`, [
      toNewEvent({ type: 'SubjectDataPurged', tenantId, requestId: request.requestId, subjectId, recordsDeleted }),
    ]);
    if (confirmed) deps.onAppended();
    else deps.logger.info({ requestId: request.requestId }, 'subject purge already confirmed');
    return recordsDeleted;
  }
}
