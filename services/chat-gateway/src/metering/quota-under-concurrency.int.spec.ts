// With a monthly quota of Q tokens, do 1,000 concurrent calls through the real gateway (HTTP,
// Redis admission, fake provider) use at most Q plus one call's reservation, with the tenant's
// counter equal to exactly what the served calls used?
import { monthlyUsageKey, quotaLimitKey } from './infrastructure/metering-keys';
import { OpenAiApiKit } from '../openai-api/test-support/openai-api-kit.helper.spec';

jest.setTimeout(120_000);

const QUOTA = 500;
const CALLS = 1000;
// Four 8-letter words: the gateway estimates ceil(35 / 4) = 9 prompt tokens, the fake provider
// counts 5 (a token per word and per message) and answers 7 ("Echo (4 words): ..."), within max_tokens.
const CONTENT = 'absolute baseline capacity diameter';
const MAX_TOKENS = 10;
const LARGEST_RESERVATION = Math.ceil(CONTENT.length / 4) + MAX_TOKENS;

let kit: OpenAiApiKit;

beforeAll(async () => {
  kit = await OpenAiApiKit.start();
});

afterAll(async () => {
  await kit?.close();
});

it('1,000 concurrent calls against a quota of 500 tokens use at most the quota plus one reservation', async () => {
  const tenantId = kit.newTenant();
  const { key } = await kit.createKey(tenantId, { rateLimitPerMinute: 1_000_000 });
  await kit.redis.set(quotaLimitKey(tenantId), String(QUOTA));
  const call = () => kit.request('POST', '/v1/chat/completions', {
    token: key,
    body: { model: 'gpt-4o-mini', max_tokens: MAX_TOKENS, messages: [{ role: 'user', content: CONTENT }] },
  });

  const results = await Promise.all(Array.from({ length: CALLS }, call));

  const served = results.filter((r) => r.status === 200);
  const refused = results.filter((r) => r.status === 429);
  expect(served.length + refused.length).toBe(CALLS);
  for (const r of refused) expect(r.json.error.code).toBe('insufficient_quota');
  const usedByServed = served.reduce((sum, r) => sum + (r.json.usage.total_tokens as number), 0);
  const counted = Number(await kit.redis.get(monthlyUsageKey(tenantId, Date.now())));
  expect(counted).toBe(usedByServed);
  expect(counted).toBeLessThanOrEqual(QUOTA + LARGEST_RESERVATION);
  expect(served.length).toBeGreaterThanOrEqual(Math.floor(QUOTA / LARGEST_RESERVATION));
  expect(refused.length).toBeGreaterThan(0);
});
