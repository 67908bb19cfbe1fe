// Given a conversation's history, what happens when a member starts one, and how are titles cleaned?
import { ConversationExistsError, decide, DEFAULT_TITLE, evolve, initialConversation, normalizeTitle } from './conversation';

const caller = { tenantId: 't1', subjectId: 's1', role: 'member' as const };

describe('conversation decider', () => {
  it('given none, when started, then ConversationCreated for the caller', () => {
    expect(decide({ type: 'StartConversation', conversationId: 'c1', caller }, initialConversation)).toEqual([
      { type: 'ConversationCreated', caller, conversationId: 'c1' },
    ]);
  });

  it('given one already created, when started again, then refused', () => {
    const state = evolve(initialConversation, { type: 'ConversationCreated', caller, conversationId: 'c1' });
    expect(state).toEqual({ status: 'active', tenantId: 't1', ownerSubjectId: 's1' });
    expect(() => decide({ type: 'StartConversation', conversationId: 'c1', caller }, state)).toThrow(ConversationExistsError);
  });
});

describe('normalizeTitle', () => {
  it('collapses whitespace and trims', () => {
    expect(normalizeTitle('  Trip \n plans\t ')).toBe('Trip plans');
  });

  it('defaults an empty or missing title', () => {
    expect(normalizeTitle(undefined)).toBe(DEFAULT_TITLE);
    expect(normalizeTitle('   ')).toBe(DEFAULT_TITLE);
  });
});
