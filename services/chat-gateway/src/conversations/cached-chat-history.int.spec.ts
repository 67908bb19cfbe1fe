// Two replicas, each with its own chat-context cache, over the same database and Redis: does each
// always give a chat exactly what the database holds, whichever replica wrote last, while one that
// is not interrupted answers from memory?
import mongoose, { type Connection } from 'mongoose';
import { Redis } from 'ioredis';
import { tenantId } from '@enclave/eventing';
import { loadInfraEnv, uniqueName } from '@enclave/testing';
import { CachedChatHistory } from './application/cached-chat-history';
import { ConversationRepository } from './infrastructure/conversation.repository';
import { conversationModel } from './infrastructure/conversation.schema';
import { MessageRepository } from './infrastructure/message.repository';
import { messageModel } from './infrastructure/message.schema';
import { RedisContextVersions } from './infrastructure/redis-context-versions';

let connection: Connection;
let redis: Redis;
let conversations: ConversationRepository;
let messages: MessageRepository;
const T = tenantId(uniqueName('t'));
const SUBJECT = 'sub-cache-1';

/** Counts the database reads a replica makes. */
function replica() {
  const reads = { n: 0 };
  const counted = {
    findOwned: (...a: Parameters<ConversationRepository['findOwned']>) => ((reads.n += 1), conversations.findOwned(...a)),
    touch: (...a: Parameters<ConversationRepository['touch']>) => conversations.touch(...a),
    recent: (...a: Parameters<MessageRepository['recent']>) => ((reads.n += 1), messages.recent(...a)),
    add: (...a: Parameters<MessageRepository['add']>) => messages.add(...a),
  };
  const cache = new CachedChatHistory(counted, counted, new RedisContextVersions(redis), { ttlMs: 60_000, maxBytes: 1 << 20, clock: Date.now });
  return { cache, reads };
}

let at = Date.parse('2026-01-01T00:00:00Z');
const msg = (conversationId: string, content: string) => ({
  _id: uniqueName('m'), subjectId: SUBJECT, conversationId, role: 'user' as const, content, createdAt: new Date((at += 1000)), complete: true,
});
const contents = async (r: ReturnType<typeof replica>, conversationId: string) => (await r.cache.recent(T, SUBJECT, conversationId, 5)).map((m) => m.content);

beforeAll(async () => {
  const infra = loadInfraEnv();
  connection = await mongoose.createConnection(infra.mongoUrl, { dbName: uniqueName('cg-cache') }).asPromise();
  redis = new Redis(infra.redisUrl, { maxRetriesPerRequest: 1 });
  conversations = new ConversationRepository(conversationModel(connection));
  messages = new MessageRepository(messageModel(connection));
});

afterAll(async () => {
  await connection?.dropDatabase().catch(() => undefined);
  await connection?.close();
  redis?.disconnect();
});

it('serves an uninterrupted conversation from memory, and reads again after the other replica wrote', async () => {
  const conversationId = uniqueName('c');
  await conversations.create(T, { _id: conversationId, subjectId: SUBJECT, title: 't', createdAt: new Date(at), updatedAt: new Date(at) });
  const [a, b] = [replica(), replica()];

  expect(await a.cache.findOwned(T, SUBJECT, conversationId)).toMatchObject({ _id: conversationId });
  await a.cache.add(T, msg(conversationId, 'one'));
  expect(await contents(a, conversationId)).toEqual(['one']);
  await a.cache.add(T, msg(conversationId, 'two'));
  const readsBefore = a.reads.n;
  expect(await contents(a, conversationId)).toEqual(['one', 'two']);
  expect(await a.cache.findOwned(T, SUBJECT, conversationId)).toMatchObject({ _id: conversationId });
  expect(a.reads.n).toBe(readsBefore); // both from memory

  await b.cache.add(T, msg(conversationId, 'three'));
  expect(await contents(a, conversationId)).toEqual(['one', 'two', 'three']);
  expect(await contents(b, conversationId)).toEqual(['one', 'two', 'three']);
  await a.cache.add(T, msg(conversationId, 'four'));
  expect(await contents(b, conversationId)).toEqual(['one', 'two', 'three', 'four']);
  expect(await contents(a, conversationId)).toEqual(['one', 'two', 'three', 'four']);
});

it('after retention deleted a conversation, no replica finds it any more', async () => {
  const conversationId = uniqueName('c');
  await conversations.create(T, { _id: conversationId, subjectId: SUBJECT, title: 't', createdAt: new Date(at), updatedAt: new Date(at) });
  const [a, b] = [replica(), replica()];
  expect(await a.cache.findOwned(T, SUBJECT, conversationId)).not.toBeNull();
  expect(await b.cache.findOwned(T, SUBJECT, conversationId)).not.toBeNull();

  await messages.deleteOfConversations(T, [conversationId]);
  await conversations.deleteByIds(T, [conversationId], new Date(at + 1));
  await a.cache.forget(T, [conversationId]);

  expect(await a.cache.findOwned(T, SUBJECT, conversationId)).toBeNull();
  expect(await b.cache.findOwned(T, SUBJECT, conversationId)).toBeNull();
});
