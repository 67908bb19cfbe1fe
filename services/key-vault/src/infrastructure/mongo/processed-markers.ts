import type { Connection } from 'mongoose';
import type { ProcessedMarkers } from '../../application/prune-processed-markers';

/** The eventing library's processed-event markers (`processed_events`, stamped processedAt). */
export class MongoProcessedMarkers implements ProcessedMarkers {
  constructor(
    private readonly connection: Connection,
    private readonly collection = 'processed_events',
  ) {}

  async deleteProcessedBefore(cutoff: Date): Promise<number> {
    const res = await this.connection.collection(this.collection).deleteMany({ processedAt: { $lt: cutoff } });
    return res.deletedCount;
  }
}
