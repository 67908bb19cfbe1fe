import type { Redis } from 'ioredis';

// Redis keys about one person: the per-member rate counters (enclave:rl:<tenant>:<subject>:<minute>,
// see metering/infrastructure/metering-keys.ts). Tenant quota and virtual-key counters are the tenant's.

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}

export function subjectKeyPatterns(tenantId: string, subjectId: string): string[] {
  return [`enclave:rl:${escapeGlob(tenantId)}:${escapeGlob(subjectId)}:*`];
}

/** SCANs (never KEYS) for the person's keys and deletes them; returns how many were deleted. */
export async function deleteSubjectRedisKeys(redis: Redis, tenantId: string, subjectId: string): Promise<number> {
  let deleted = 0;
  for (const match of subjectKeyPatterns(tenantId, subjectId)) {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', match, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) deleted += await redis.del(...keys);
    } while (cursor !== '0');
  }
  return deleted;
}
