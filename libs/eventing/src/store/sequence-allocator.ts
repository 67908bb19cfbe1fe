import type { Collection } from 'mongoose';
import { isDuplicateKeyError } from './duplicate-key';

/**
 * Reserves store-wide order numbers with one atomic $inc. The relay publishes in seq order, so
 * an append that starts after another finished (as every next append to a stream does) always
 * sorts after it, whatever the clocks of the writing processes say.
 */
export class SequenceAllocator {
  constructor(private readonly counters: Collection) {}

  /** Returns the last of `count` freshly reserved numbers. */
  async reserve(count: number): Promise<number> {
    for (let attempt = 0; ; attempt++) {
      try {
        const doc = await this.counters.findOneAndUpdate(
          { _id: 'seq' } as never,
          { $inc: { value: count } },
          { upsert: true, returnDocument: 'after' },
        );
        if (!doc || typeof doc.value !== 'number') throw new Error('sequence counter did not return a value');
        return doc.value;
      } catch (error) {
        // Two first-ever upserts can race on _id; the loser retries and increments the winner's.
        if (attempt === 0 && isDuplicateKeyError(error)) continue;
        throw error;
      }
    }
  }
}
