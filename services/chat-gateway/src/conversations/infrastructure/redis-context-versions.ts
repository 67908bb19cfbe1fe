import type { Redis } from 'ioredis';
import type { ContextVersions } from '../application/context-versions';

/** Far longer than any replica keeps a context (its ttl): an expired counter reads '0' again. */
const COUNTER_TTL_SEC = 7 * 24 * 3600;

const key = (tenantId: string, conversationId: string) => `enclave:conv-version:{${tenantId}}:${conversationId}`;

/** The conversation counters in Redis: one GET per chat, INCR + EXPIRE per write. */
export class RedisContextVersions implements ContextVersions {
  constructor(private readonly redis: Redis) {}

  async current(tenantId: string, conversationId: string): Promise<string> {
    return (await this.redis.get(key(tenantId, conversationId))) ?? '0';
  }

  async bump(tenantId: string, conversationId: string): Promise<number> {
    const results = await this.redis.multi().incr(key(tenantId, conversationId)).expire(key(tenantId, conversationId), COUNTER_TTL_SEC).exec();
    const [error, value] = results?.[0] ?? [new Error('the version counter was not raised'), null];
    if (error) throw error;
    return Number(value);
  }

  async bumpAll(tenantId: string, conversationIds: readonly string[]): Promise<void> {
    if (conversationIds.length === 0) return;
    const batch = this.redis.multi();
    for (const id of conversationIds) batch.incr(key(tenantId, id)).expire(key(tenantId, id), COUNTER_TTL_SEC);
    const results = await batch.exec();
    const failed = results?.find(([error]) => error);
    if (!results || failed) throw failed?.[0] ?? new Error('the version counters were not raised');
  }
}
