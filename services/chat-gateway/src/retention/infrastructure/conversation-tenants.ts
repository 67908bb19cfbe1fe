import type { Model } from 'mongoose';
import type { ConversationDoc } from '../../conversations/infrastructure/conversation.schema';

/** The tenants that have conversations (the retention job's only cross-tenant read). */
export async function conversationTenants(model: Model<ConversationDoc>): Promise<string[]> {
  const groups = await model.aggregate<{ _id: string }>([{ $group: { _id: '$tenantId' } }]).exec();
  return groups.map((g) => g._id).filter((id): id is string => typeof id === 'string');
}
