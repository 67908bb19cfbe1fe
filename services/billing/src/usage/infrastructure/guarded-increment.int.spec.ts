// Against real FerretDB: is an event's $inc applied at most once per totals document, even racing itself, and do the remembered ids stay bounded?
import type { Connection, mongo } from 'mongoose';
import { uniqueName } from '@enclave/testing';
import { connectTestDb } from '../../test-support/billing-test-kit.helper.spec';
import { guardedIncrement } from './guarded-increment';

let connection: Connection;
let collection: mongo.Collection;
const inc = { promptTokens: 3, completionTokens: 2, messages: 1 };

beforeAll(async () => {
  connection = await connectTestDb('billing-guard');
  collection = connection.collection('totals') as unknown as mongo.Collection;
  await collection.createIndex({ tenantId: 1, month: 1 }, { unique: true });
});

afterAll(async () => {
  await connection?.dropDatabase().catch(() => undefined);
  await connection?.close();
});

const newKey = () => ({ tenantId: uniqueName('t'), month: '2025-03' });

it('applies an event once and reports the repeat as not applied', async () => {
  const key = newKey();
  expect(await guardedIncrement(collection, key, 'e1', inc)).toEqual({ applied: true, totals: { promptTokens: 3, completionTokens: 2, messages: 1 } });
  expect(await guardedIncrement(collection, key, 'e1', inc)).toEqual({ applied: false, totals: { promptTokens: 3, completionTokens: 2, messages: 1 } });
  expect(await guardedIncrement(collection, key, 'e2', inc)).toMatchObject({ applied: true, totals: { messages: 2 } });
  expect(await collection.countDocuments(key)).toBe(1);
});

it('applies an event once when deliveries race to create the document', async () => {
  const key = newKey();
  const results = await Promise.all([1, 2, 3, 4].map(() => guardedIncrement(collection, key, 'e1', inc)));
  expect(results.filter((r) => r.applied)).toHaveLength(1);
  expect((await collection.findOne(key))?.messages).toBe(1);
});

it('forgets the oldest ids beyond the bound and keeps guarding the recent ones', async () => {
  const key = newKey();
  const bounds = { max: 5, keep: 2 };
  for (let i = 1; i <= 6; i++) await guardedIncrement(collection, key, `e${i}`, inc, bounds);
  const doc = await collection.findOne(key);
  expect(doc).toMatchObject({ applied: ['e5', 'e6'], appliedCount: 2, messages: 6, promptTokens: 18 });
  expect((await guardedIncrement(collection, key, 'e6', inc, bounds)).applied).toBe(false);
  expect((await collection.findOne(key))?.messages).toBe(6);
});
