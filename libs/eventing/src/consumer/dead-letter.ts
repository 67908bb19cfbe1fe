import type { KafkaMessage, Message } from 'kafkajs';

export const DLQ_HEADERS = {
  reason: 'dlq-reason',
  topic: 'dlq-topic',
  partition: 'dlq-partition',
  offset: 'dlq-offset',
  at: 'dlq-at',
  consumer: 'dlq-consumer',
} as const;

const MAX_REASON = 500;

export interface DeadLetterInfo {
  topic: string;
  partition: number;
  reason: string;
  consumer: string;
  at: Date;
}

/** The raw message, unchanged, plus headers saying where it came from and why it was parked. */
export function deadLetterMessage(message: KafkaMessage, info: DeadLetterInfo): Message {
  const reason = info.reason.replace(/\s+/g, ' ').trim().slice(0, MAX_REASON) || 'unknown';
  return {
    key: message.key,
    value: message.value,
    headers: {
      ...(message.headers ?? {}),
      [DLQ_HEADERS.reason]: reason,
      [DLQ_HEADERS.topic]: info.topic,
      [DLQ_HEADERS.partition]: String(info.partition),
      [DLQ_HEADERS.offset]: message.offset,
      [DLQ_HEADERS.at]: info.at.toISOString(),
      [DLQ_HEADERS.consumer]: info.consumer,
    },
  };
}
