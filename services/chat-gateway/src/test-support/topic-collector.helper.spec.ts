// Test support (not a test): collects the envelopes of one topic, from the moment it is ready.
import { decodeEnvelope, type DecodedEvent, type Topic } from '@enclave/eventing';
import { uniqueName, waitFor } from '@enclave/testing';
import type { Consumer, Kafka } from 'kafkajs';

export class TopicCollector<T> {
  readonly received: Array<DecodedEvent<T>> = [];
  private joined = false;
  private fetched = false;

  private constructor(private readonly consumer: Consumer) {}

  static async start<T>(kafka: Kafka, topic: Topic<T>): Promise<TopicCollector<T>> {
    const consumer = kafka.consumer({ groupId: uniqueName('cg-test-collector'), maxWaitTimeInMs: 200 });
    const collector = new TopicCollector<T>(consumer);
    consumer.on(consumer.events.GROUP_JOIN, () => (collector.joined = true));
    consumer.on(consumer.events.FETCH, () => (collector.fetched = collector.joined));
    await consumer.connect();
    await consumer.subscribe({ topic: topic.name, fromBeginning: false });
    await consumer.run({
      eachMessage: async ({ message }) => {
        collector.received.push(decodeEnvelope(topic, message.value));
      },
    });
    await waitFor(() => collector.joined && collector.fetched, { timeoutMs: 30_000, description: 'the collector to join its group' });
    return collector;
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }
}
