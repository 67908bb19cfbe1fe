// Does the retention job prune exactly the processed-event markers older than 30 days, as of the injected clock?
import { PROCESSED_MARKER_RETENTION_MS, PruneProcessedMarkers, type ProcessedMarkers } from './prune-processed-markers';

class MemoryMarkers implements ProcessedMarkers {
  constructor(public at: Date[]) {}
  async deleteProcessedBefore(cutoff: Date) {
    const before = this.at.length;
    this.at = this.at.filter((d) => d.getTime() >= cutoff.getTime());
    return before - this.at.length;
  }
}

describe('PruneProcessedMarkers', () => {
  it('deletes markers older than 30 days and keeps the rest', async () => {
    const now = new Date('2025-06-30T12:00:00Z');
    const day = 86_400_000;
    const markers = new MemoryMarkers([new Date(now.getTime() - 31 * day), new Date(now.getTime() - 30 * day), new Date(now.getTime() - day)]);
    const result = await new PruneProcessedMarkers(markers).runOnce(now);
    expect(PROCESSED_MARKER_RETENTION_MS).toBe(30 * day);
    expect(result).toEqual({ cutoff: new Date(now.getTime() - 30 * day), deleted: 1 });
    expect(markers.at).toHaveLength(2);
    expect((await new PruneProcessedMarkers(markers).runOnce(now)).deleted).toBe(0);
  });
});
