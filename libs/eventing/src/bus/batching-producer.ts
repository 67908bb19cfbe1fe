import type { Message, Producer, TopicMessages } from 'kafkajs';

export interface BatchingProducerOptions {
  /** A connected kafkajs producer; the caller owns its lifecycle. */
  producer: Producer;
  /** Send as soon as this many messages are buffered; default 500. */
  maxBatch?: number;
  /** Otherwise send this long after the first buffered message; default 20 ms. */
  lingerMs?: number;
}

interface Pending {
  topic: string;
  message: Message;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Buffers high-rate messages (e.g. usage events) and sends them with one sendBatch per N
 * messages or T ms. send() resolves once its batch is acknowledged; batches go out one at a
 * time, so messages keep their order. Call flush() on shutdown.
 */
export class BatchingProducer {
  private readonly maxBatch: number;
  private readonly lingerMs: number;
  private buffer: Pending[] = [];
  private timer: NodeJS.Timeout | undefined;
  private sending: Promise<void> = Promise.resolve();

  constructor(private readonly options: BatchingProducerOptions) {
    this.maxBatch = options.maxBatch ?? 500;
    this.lingerMs = options.lingerMs ?? 20;
  }

  send(topic: string, message: Message): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.buffer.push({ topic, message, resolve, reject });
      if (this.buffer.length >= this.maxBatch) void this.flush();
      else this.timer ??= setTimeout(() => void this.flush(), this.lingerMs);
    });
  }

  /** Sends everything buffered now and waits for every batch in flight. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.buffer;
    this.buffer = [];
    if (batch.length > 0) this.sending = this.sending.then(() => this.sendBatch(batch));
    return this.sending;
  }

  get buffered(): number {
    return this.buffer.length;
  }

  private async sendBatch(batch: Pending[]): Promise<void> {
    const byTopic = new Map<string, TopicMessages>();
    for (const { topic, message } of batch) {
      let entry = byTopic.get(topic);
      if (!entry) byTopic.set(topic, (entry = { topic, messages: [] }));
      entry.messages.push(message);
    }
    try {
      await this.options.producer.sendBatch({ acks: -1, topicMessages: [...byTopic.values()] });
      for (const p of batch) p.resolve();
    } catch (error) {
      // The callers of this batch learn it failed; later batches still get their chance.
      for (const p of batch) p.reject(error);
    }
  }
}
