/**
 * A counter per conversation, shared by every replica, raised after each change of what a chat
 * reads from it (a message added, the conversation deleted). A replica's cached context is good
 * exactly while the counter still holds the value it was cached under.
 */
export interface ContextVersions {
  /** The current value; '0' when the conversation has none (never changed, or long idle). */
  current(tenantId: string, conversationId: string): Promise<string>;
  /** After a write: raises the counter and returns its new value. */
  bump(tenantId: string, conversationId: string): Promise<number>;
  /** After deleting conversations (retention, erasure): raises each counter. */
  bumpAll(tenantId: string, conversationIds: readonly string[]): Promise<void>;
}
