/** How long the consumer remembers handled events (Kafka retention is far shorter). */
export const PROCESSED_MARKER_RETENTION_MS = 30 * 86_400_000;

export interface ProcessedMarkers {
  /** Deletes markers recorded before `cutoff`; returns how many. */
  deleteProcessedBefore(cutoff: Date): Promise<number>;
}

/**
 * Retention of key-vault's only time-limited records: the consumer's processed-event markers
 * (no personal data in them; no event is recorded for their pruning). Everything else key-vault
 * holds is kept until deleted (secrets) or erased (subject keys).
 */
export class PruneProcessedMarkers {
  constructor(private readonly markers: ProcessedMarkers) {}

  async runOnce(now: Date): Promise<{ cutoff: Date; deleted: number }> {
    const cutoff = new Date(now.getTime() - PROCESSED_MARKER_RETENTION_MS);
    return { cutoff, deleted: await this.markers.deleteProcessedBefore(cutoff) };
  }
}
