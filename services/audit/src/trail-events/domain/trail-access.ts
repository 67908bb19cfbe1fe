// What audit records about the use of the log itself: each query of the trail, each
// verification, each signed checkpoint and each export becomes an event in audit's own store
// (and, through Kafka, an entry in the log). Each is its own short stream, so recording never
// contends with another.
import type { BreakReason } from '../../log/domain/verify-chain';

export type TrailAccessCommand =
  | { type: 'RecordTrailQuery'; filterSummary: string; resultCount: number }
  | {
      type: 'RecordVerification';
      intact: boolean;
      entriesChecked: number;
      firstBroken?: { seq: number; reason: BreakReason };
      /** Absent when the whole log was verified. */
      range?: { fromSeq: number; toSeq: number };
    }
  | { type: 'RecordCheckpoint'; treeSize: number; rootHash: string; keyId: string; issuedAt: Date }
  | { type: 'RecordExport'; fromSeq: number; toSeq: number; checkpointTreeSize: number };

export type TrailAccessEvent =
  | { type: 'AuditTrailQueried'; filterSummary: string; resultCount: number }
  | { type: 'AuditLogVerified'; intact: boolean; entriesChecked: number; firstBrokenSeq: number; fromSeq: number; toSeq: number }
  | { type: 'AuditCheckpointSigned'; treeSize: number; rootHash: string; keyId: string; issuedAtMs: number }
  | { type: 'AuditExported'; fromSeq: number; toSeq: number; checkpointTreeSize: number };

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
          fromSeq: command.range?.fromSeq ?? 0,
          toSeq: command.range?.toSeq ?? 0,
        },
      ];
    case 'RecordCheckpoint':
      return [
        { type: 'AuditCheckpointSigned', treeSize: command.treeSize, rootHash: command.rootHash, keyId: command.keyId, issuedAtMs: command.issuedAt.getTime() },
      ];
    case 'RecordExport':
      return [{ type: 'AuditExported', fromSeq: command.fromSeq, toSeq: command.toSeq, checkpointTreeSize: command.checkpointTreeSize }];
    default: {
      const unhandled: never = command;
      throw new Error(`unhandled trail access command ${JSON.stringify(unhandled)}`);
    }
  }
}
