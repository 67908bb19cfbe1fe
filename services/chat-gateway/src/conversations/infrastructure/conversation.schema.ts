import { Schema, type Connection, type Model } from 'mongoose';

/** Read model of a member's conversation (collection `conversations`). Title is the member's text. */
export interface ConversationDoc {
  _id: string;
  tenantId: string;
  subjectId: string;
  title: string;
  createdAt: Date;
  updatedAt: Date;
  /** Whether the tenant logged messages when the title was written: only then may an admin see it. Absent: never. */
  titleLogged?: boolean;
}

export const conversationSchema = new Schema<ConversationDoc>(
  {
    _id: { type: String, required: true },
    tenantId: { type: String, required: true },
    subjectId: { type: String, required: true },
    title: { type: String, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    titleLogged: { type: Boolean },
  },
  { collection: 'conversations', versionKey: false, autoIndex: false },
);

// Serves "my conversations, most recently active first" (and the title search within them).
conversationSchema.index({ tenantId: 1, subjectId: 1, updatedAt: -1 });

export function conversationModel(connection: Connection): Model<ConversationDoc> {
  return (connection.models.Conversation as Model<ConversationDoc> | undefined) ?? connection.model('Conversation', conversationSchema);
}
