// Do billing's privacy events survive the protobuf payload, and are they kept out of the quota streams?
import { billingV1 } from '@enclave/proto';
import { decodeQuotaEvent, encodeBillingEvent, envelopeType, fromProto, QuotaEventDecodeError, toProto } from '../../quota/infrastructure/quota-event-codec';
import { isQuotaEvent, retentionStreamId, subjectPurgeStreamId, type BillingEvent } from './privacy-events';

const events: BillingEvent[] = [
  { type: 'SubjectDataPurged', requestId: 'req-1', subjectId: 'sub-1', recordsDeleted: 4 },
  { type: 'RetentionPurged', dataClass: 'usage_detail', cutoffMs: 1_739_404_800_000, recordsDeleted: 12 },
];

it.each(events)('round-trips $type', (event) => {
  expect(fromProto(billingV1.BillingEvent.decode(encodeBillingEvent(event)))).toStrictEqual(event);
  expect(toProto(event).event?.$case).toBe(event.type === 'SubjectDataPurged' ? 'subjectDataPurged' : 'retentionPurged');
  expect(envelopeType(event)).toBe(`billing.${event.type}`);
  expect(isQuotaEvent(event)).toBe(false);
});

it('refuses a privacy event where a quota event is expected', () => {
  expect(() => decodeQuotaEvent(encodeBillingEvent(events[0]!))).toThrow(QuotaEventDecodeError);
});

it('names the streams of the confirmations', () => {
  expect(subjectPurgeStreamId('r1')).toBe('subject-purge:r1');
  expect(retentionStreamId('usage_detail', 't1', 5)).toBe('retention:usage_detail:t1:5');
});
