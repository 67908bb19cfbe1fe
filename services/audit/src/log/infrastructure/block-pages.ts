/**
 * Reading a tenant's chain in seq order without a sorted scan. FerretDB v1 on PostgreSQL pushes
 * string equality down to SQL but neither a range on seq nor the sort: `seq > n` sorted by seq
 * makes it fetch and sort every entry of the tenant in Go, per page (seconds per page on a
 * log of 60k entries, minutes of a busy database to extend the Merkle tree after a burst).
 * Each entry therefore carries `blk`, its block of BLOCK_SIZE consecutive seqs as a string; a
 * page reads block after block by equality (at most BLOCK_SIZE documents each) and sorts those.
 */
export const BLOCK_SIZE = 1000;

export const blockOf = (seq: number): string => String(Math.floor(seq / BLOCK_SIZE));

export interface BlockReader<E extends { seq: number }> {
  /** Every entry of one block (any order). */
  block(block: string): Promise<E[]>;
  /** The unindexed read: entries after `afterSeq` in seq order, at most `limit`. */
  scan(afterSeq: number, limit: number): Promise<E[]>;
}

/**
 * Entries after `afterSeq` in seq order, at most `limit`, exactly as scan() would give them:
 * blocks are read while they continue the chain without a hole. A hole (an entry missing before
 * later ones) hands the rest of the page to scan(), so a damaged log reads as it always did; a
 * block that simply ends the log is recognised by the next block being empty. (Only two or more
 * whole blocks removed together read as the log's end; checkpoints, which name tree sizes,
 * still show that entries are missing.)
 */
export async function readPage<E extends { seq: number }>(reader: BlockReader<E>, afterSeq: number, limit: number): Promise<E[]> {
  const out: E[] = [];
  let next = afterSeq + 1;
  while (out.length < limit) {
    const current = Math.floor(next / BLOCK_SIZE);
    const found = (await reader.block(String(current))).filter((e) => e.seq >= next).sort((a, b) => a.seq - b.seq);
    let taken = 0;
    while (taken < found.length && found[taken]!.seq === next + taken) taken += 1;
    out.push(...found.slice(0, Math.min(taken, limit - out.length)));
    next += taken;
    if (out.length >= limit) break;
    if (next === (current + 1) * BLOCK_SIZE) continue; // the block ran to its end: on to the next
    const holeInBlock = taken < found.length;
    if (holeInBlock || (await reader.block(String(current + 1))).length > 0) {
      out.push(...(await reader.scan(next - 1, limit - out.length)));
    }
    break;
  }
  return out;
}
