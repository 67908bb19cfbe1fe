// Does a parked message keep its bytes and headers and say where it came from and why?
import { deadLetterMessage, DLQ_HEADERS } from './dead-letter';

describe('deadLetterMessage', () => {
  const message = { key: Buffer.from('tenant-a'), value: Buffer.from([1, 2, 3]), headers: { traceparent: 'tp' }, offset: '41', timestamp: '0', attributes: 0 };
  const info = { topic: 'enclave.x.events.v1', partition: 2, reason: 'bad\n  bytes', consumer: 'billing', at: new Date('2025-01-01T00:00:00Z') };

  it('keeps key, value and headers and adds the dlq headers', () => {
    const parked = deadLetterMessage(message, info);
    expect(parked.key).toBe(message.key);
    expect(parked.value).toBe(message.value);
    expect(parked.headers).toEqual({
      traceparent: 'tp',
      [DLQ_HEADERS.reason]: 'bad bytes',
      [DLQ_HEADERS.topic]: 'enclave.x.events.v1',
      [DLQ_HEADERS.partition]: '2',
      [DLQ_HEADERS.offset]: '41',
      [DLQ_HEADERS.at]: '2025-01-01T00:00:00.000Z',
      [DLQ_HEADERS.consumer]: 'billing',
    });
  });

  it('bounds the reason and never leaves it empty', () => {
    expect(String(deadLetterMessage(message, { ...info, reason: 'x'.repeat(5000) }).headers![DLQ_HEADERS.reason]).length).toBe(500);
    expect(deadLetterMessage(message, { ...info, reason: '  ' }).headers![DLQ_HEADERS.reason]).toBe('unknown');
  });
});
