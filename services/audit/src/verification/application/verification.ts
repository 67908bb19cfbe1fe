import type { BrokenEntry, CheckpointSummary } from '../../checkpoints/domain/verify-with-checkpoints';

/** What POST .../audit/verify answers. */
export interface Verification {
  intact: boolean;
  entriesChecked: number;
  /** Signed checkpoints whose signature and root were checked against the entries. */
  checkpointsChecked: number;
  latestCheckpoint: CheckpointSummary | null;
  firstBroken?: BrokenEntry;
  /** Only for a range: the range, and how many of its entries the latest checkpoint covers. */
  range?: { fromSeq: number; toSeq: number };
  entriesCovered?: number;
}
