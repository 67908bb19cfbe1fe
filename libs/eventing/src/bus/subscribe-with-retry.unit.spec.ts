import type { Consumer } from 'kafkajs';
import { isRetriableKafkaError, subscribeWithRetry } from './subscribe-with-retry';

const retriable = Object.assign(new Error('This server does not host this topic-partition'), { retriable: true });

function consumerFailing(failures: Error[]): { consumer: Consumer; calls: () => number } {
  let calls = 0;
  const consumer = {
    subscribe: async () => {
      calls++;
      const next = failures.shift();
      if (next) throw next;
    },
  } as unknown as Consumer;
  return { consumer, calls: () => calls };
}

describe('subscribeWithRetry', () => {
  it('retries while the broker answers with a retriable error, then subscribes', async () => {
    const { consumer, calls } = consumerFailing([retriable, retriable]);
    await subscribeWithRetry(consumer, { topics: ['t'] });
    expect(calls()).toBe(3);
  });

  it('gives up at once on an error that is not retriable', async () => {
    const { consumer, calls } = consumerFailing([new Error('not authorized')]);
    await expect(subscribeWithRetry(consumer, { topics: ['t'] })).rejects.toThrow('not authorized');
    expect(calls()).toBe(1);
  });

  it('tells retriable kafkajs errors apart', () => {
    expect(isRetriableKafkaError(retriable)).toBe(true);
    expect(isRetriableKafkaError(new Error('x'))).toBe(false);
    expect(isRetriableKafkaError(undefined)).toBe(false);
  });
});
