import { Schema, type Connection, type Model } from 'mongoose';

/**
 * One visible message of a member's history (collection `messages`). The hidden system
 * instruction is never stored here: it is added upstream only.
 */
export interface MessageDoc {
  _id: string;
  tenantId: string;
  subjectId: string;
  conversationId: string;
  role: 'user' | 'assistant';
  content: string;
  createdAt: Date;
  /** Assistant messages: the model that answered. */
  model?: string;
  /** Assistant messages: false when the answer was cut off (error or disconnect). */
  complete: boolean;
  /**
   * Whether the tenant logged messages (members were told admins may read them) when this one
   * was written. Only such messages are ever shown to an admin; absent on older rows: never.
   */
  logged?: boolean;
}

export const messageSchema = new Schema<MessageDoc>(
  {
    _id: { type: String, required: true },
    tenantId: { type: String, required: true },
    subjectId: { type: String, required: true },
    conversationId: { type: String, required: true },
    role: { type: String, required: true, enum: ['user', 'assistant'] },
    content: { type: String, required: true },
    createdAt: { type: Date, required: true },
    model: { type: String },
    complete: { type: Boolean, required: true },
    logged: { type: Boolean },
  },
  { collection: 'messages', versionKey: false, autoIndex: false },
);

// Serves "a conversation's messages in order" (full history and the recent context window).
messageSchema.index({ tenantId: 1, subjectId: 1, conversationId: 1, createdAt: 1 });

export function messageModel(connection: Connection): Model<MessageDoc> {
  return (connection.models.Message as Model<MessageDoc> | undefined) ?? connection.model('Message', messageSchema);
}
