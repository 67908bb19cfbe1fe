import type { Redis } from 'ioredis';
import type { AdmissionGate, GateVerdict, Meterable, Reservation } from '../application/ports';
import type { AdmissionRefusal } from '../domain/admission';
import {
  keyMonthlyUsageKey, keyRateCounterKey, monthlyUsageKey, quotaLimitKey, rateCounterKey, RATE_COUNTER_TTL_SEC, USAGE_COUNTER_TTL_SEC,
} from './metering-keys';

// The admission rule of metering/domain/admission.ts, run atomically inside Redis (EVALSHA via
// defineCommand, EVAL only the first time), so no other request can slip between the check and
// the reservation: admitted while the tenant (and the key) have something left, reserving the
// whole worst case into the month counters.
//   KEYS[1] quota limit, KEYS[2] tenant month usage, KEYS[3] rate counter, KEYS[4] key month usage (keys only)
//   ARGV[1] requests per minute, ARGV[2] rate counter ttl, ARGV[3] wanted tokens,
//   ARGV[4] key monthly budget ('' = none), ARGV[5] usage counter ttl
//   → {'ok', reserved} | {reason, 0}; an error reply when a counter is not a number.
const ADMIT = `
local count = redis.call('INCR', KEYS[3])
if count == 1 then redis.call('EXPIRE', KEYS[3], ARGV[2]) end
local function number(key)
  local raw = redis.call('GET', key)
  if not raw then return nil end
  local n = tonumber(raw)
  if not n then error('metering counter ' .. key .. ' is not a number') end
  return n
end
local limit = number(KEYS[1])
if limit and (number(KEYS[2]) or 0) >= limit then return {'quota_exhausted', 0} end
if #KEYS == 4 and ARGV[4] ~= '' and (number(KEYS[4]) or 0) >= tonumber(ARGV[4]) then return {'key_token_limit_reached', 0} end
if count > tonumber(ARGV[1]) then return {'rate_limited', 0} end
local reserve = tonumber(ARGV[3])
redis.call('INCRBY', KEYS[2], reserve)
redis.call('EXPIRE', KEYS[2], ARGV[5])
if #KEYS == 4 then
  redis.call('INCRBY', KEYS[4], reserve)
  redis.call('EXPIRE', KEYS[4], ARGV[5])
end
return {'ok', reserve}
`;

// Settles a reservation: every counter it was taken from moves by ARGV[1] (used - reserved, may
// be negative). ARGV[2] usage counter ttl.
const SETTLE = `
for _, key in ipairs(KEYS) do
  redis.call('INCRBY', key, ARGV[1])
  redis.call('EXPIRE', key, ARGV[2])
end
return #KEYS
`;

interface MeteringCommands {
  enclaveAdmit(numKeys: number, ...keysAndArgs: Array<string | number>): Promise<[string, number]>;
  enclaveSettle(numKeys: number, ...keysAndArgs: Array<string | number>): Promise<number>;
}

const REFUSALS: ReadonlySet<string> = new Set<AdmissionRefusal>(['quota_exhausted', 'key_token_limit_reached', 'rate_limited']);

/** The AdmissionGate on Redis: one script call before the provider, one after (none when nothing changes). */
export class RedisAdmissionGate implements AdmissionGate {
  private readonly redis: Redis & MeteringCommands;

  constructor(redis: Redis) {
    if (!('enclaveAdmit' in redis)) redis.defineCommand('enclaveAdmit', { lua: ADMIT });
    if (!('enclaveSettle' in redis)) redis.defineCommand('enclaveSettle', { lua: SETTLE });
    this.redis = redis as Redis & MeteringCommands;
  }

  async admit(who: Meterable, wantedTokens: number, nowMs: number): Promise<GateVerdict> {
    const counters = [monthlyUsageKey(who.tenantId, nowMs)];
    const keys = [quotaLimitKey(who.tenantId), counters[0]!];
    let budget = '';
    if (who.kind === 'member') {
      keys.push(rateCounterKey(who.tenantId, who.subjectId, nowMs));
    } else {
      const keyUsage = keyMonthlyUsageKey(who.keyId, nowMs);
      keys.push(keyRateCounterKey(who.keyId, nowMs), keyUsage);
      counters.push(keyUsage);
      budget = who.monthlyTokens === null ? '' : String(who.monthlyTokens);
    }
    const wanted = Math.max(1, Math.ceil(wantedTokens));
    const [verdict, reserved] = await this.redis.enclaveAdmit(
      keys.length, ...keys, who.ratePerMinute, RATE_COUNTER_TTL_SEC, wanted, budget, USAGE_COUNTER_TTL_SEC,
    );
    if (verdict === 'ok') return { admitted: true, reservation: { reserved: Number(reserved), counters } };
    if (REFUSALS.has(verdict)) return { admitted: false, reason: verdict as AdmissionRefusal };
    throw new Error(`unexpected admission verdict ${verdict}`);
  }

  async settle(reservation: Reservation, usedTokens: number): Promise<void> {
    const delta = Math.round(usedTokens) - reservation.reserved;
    if (delta === 0) return;
    await this.redis.enclaveSettle(reservation.counters.length, ...reservation.counters, delta, USAGE_COUNTER_TTL_SEC);
  }
}
