import type { ConversationCreated } from '../../events/domain/chat-gateway-event';
import type { Caller } from '../../shared/roles';
import { assertNever } from '../../shared/assert-never';

// The conversation aggregate: created once, owned by one member of one tenant. Its only event
// is ConversationCreated; messages are history (read model), not facts for the audit trail.

export const MAX_TITLE_LENGTH = 200;
export const DEFAULT_TITLE = 'New conversation';

export type ConversationState =
  | { status: 'absent' }
  | { status: 'active'; tenantId: string; ownerSubjectId: string };

export const initialConversation: ConversationState = { status: 'absent' };

export interface StartConversation {
  type: 'StartConversation';
  conversationId: string;
  caller: Caller;
}

export type ConversationCommand = StartConversation;
export type ConversationEvent = ConversationCreated;

export class ConversationExistsError extends Error {
  override readonly name = 'ConversationExistsError';
  constructor() {
    super('conversation already exists');
  }
}

export function decide(command: ConversationCommand, state: ConversationState): ConversationEvent[] {
  switch (command.type) {
    case 'StartConversation':
      if (state.status !== 'absent') throw new ConversationExistsError();
      return [{ type: 'ConversationCreated', caller: command.caller, conversationId: command.conversationId }];
    default:
      return assertNever(command.type);
  }
}

export function evolve(_state: ConversationState, event: ConversationEvent): ConversationState {
  switch (event.type) {
    case 'ConversationCreated':
      return { status: 'active', tenantId: event.caller.tenantId, ownerSubjectId: event.caller.subjectId };
    default:
      return assertNever(event.type);
  }
}

/** Trimmed title, whitespace runs collapsed; empty → the default title. */
export function normalizeTitle(title: string | undefined): string {
  const cleaned = (title ?? '').replace(/\s+/g, ' ').trim();
  return cleaned === '' ? DEFAULT_TITLE : cleaned.slice(0, MAX_TITLE_LENGTH);
}
