// What audit records about the use of the log itself: each query of the trail and each
// verification becomes an event in audit's own store (and, through Kafka, an entry in the log).
// Each access is its own short stream, so recording never contends with another access.
import type { BreakReason } from '../../log/domain/verify-chain';

export type TrailAccessCommand =
  | { type: 'RecordTrailQuery'; filterSummary: string; resultCount: number }
  | {
      type: 'RecordVerification';
      intact: boolean;
      entriesChecked: number;
      firstBroken?: { seq: number; reason: BreakReason };
    };

export type TrailAccessEvent =
  | { type: 'AuditTrailQueried'; filterSummary: string; resultCount: number }
  | { type: 'AuditLogVerified'; intact: boolean; entriesChecked: number; firstBrokenSeq: number };

/** An access stream is new: it holds exactly the one event that records the access. */
export function decide(command: TrailAccessCommand): TrailAccessEvent[] {
  switch (command.type) {
    case 'RecordTrailQuery':
      return [{ type: 'AuditTrailQueried', filterSummary: command.filterSummary, resultCount: command.resultCount }];
    case 'RecordVerification':
      return [
        {
          type: 'AuditLogVerified',
          intact: command.intact,
          entriesChecked: command.entriesChecked,
          firstBrokenSeq: command.intact ? 0 : (command.firstBroken?.seq ?? 0),
        },
      ];
    default: {
      const unhandled: never = command;
      throw new Error(`unhandled trail access command ${JSON.stringify(unhandled)}`);
    }
  }
}
