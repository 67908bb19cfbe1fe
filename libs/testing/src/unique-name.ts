import { randomBytes } from 'node:crypto';

let counter = 0;

/**
 * A name no other test run or call will produce, safe as a Mongo database name (FerretDB:
 * [a-zA-Z0-9_-], at most 63 characters), a Kafka topic or a consumer group:
 * `<prefix>-<time>-<pid>-<counter>-<random>`.
 */
export function uniqueName(prefix: string): string {
  const clean = prefix.toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 28) || 'test';
  counter += 1;
  const parts = [Date.now().toString(36), process.pid.toString(36), counter.toString(36), randomBytes(4).toString('hex')];
  return `${clean}-${parts.join('-')}`;
}
