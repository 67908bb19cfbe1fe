import type { ConversationRepository } from '../infrastructure/conversation.repository';
import type { MessageRepository } from '../infrastructure/message.repository';
import type { HistoryCipher } from './history-cipher';

// What other features may use of the conversations feature (a chat reads and writes history).

/** A member's conversation: found by its owner, touched when it gets a message. */
export type ConversationStore = Pick<ConversationRepository, 'findOwned' | 'touch'>;

/** The messages of a conversation: the recent context, and new ones. */
export type MessageStore = Pick<MessageRepository, 'recent' | 'add'>;

/** Seals what is stored with the person's key, and opens it again. */
export type HistorySealer = Pick<HistoryCipher, 'sealContent' | 'openContent'>;
