// The last bytes of a relayed answer, held back until its usage is durable: the client must not
// see the answer complete before the gateway's books hold it. Everything else passes through
// untouched, chunk by chunk, as it arrives.
//   streaming: the final `data: [DONE]` event and anything after it (a marker split across
//              chunks is caught: a line that could still become it waits for the next chunk);
//   whole JSON: the latest chunk (with a content-length, the last bytes are what ends it).

const EMPTY: Buffer = Buffer.alloc(0);
const MARKERS = [Buffer.from('data: [DONE]'), Buffer.from('data:[DONE]')];
const NEWLINE = 0x0a;

export interface HeldEnding {
  /** The bytes to write now; the rest of the chunk is held. */
  pass(chunk: Buffer): Buffer;
  /** What is held: written once usage is recorded. */
  rest(): Buffer;
}

export function heldEnding(streaming: boolean): HeldEnding {
  return streaming ? new HeldSseEnding() : new HeldLastChunk();
}

class HeldLastChunk implements HeldEnding {
  private held = EMPTY;

  pass(chunk: Buffer): Buffer {
    const out = this.held;
    this.held = chunk;
    return out;
  }

  rest(): Buffer {
    return this.held;
  }
}

class HeldSseEnding implements HeldEnding {
  private held = EMPTY;
  private done = false;
  /** The bytes before `held` ended a line (or nothing was written yet). */
  private atLineStart = true;

  pass(chunk: Buffer): Buffer {
    if (this.done) {
      this.held = Buffer.concat([this.held, chunk]);
      return EMPTY;
    }
    const data = this.held.length === 0 ? chunk : Buffer.concat([this.held, chunk]);
    const at = this.doneLine(data);
    if (at !== -1) {
      this.done = true;
      return this.split(data, at);
    }
    const lineStart = data.lastIndexOf(NEWLINE) + 1;
    const partial = lineStart === 0 && !this.atLineStart ? EMPTY : data.subarray(lineStart);
    const keep = partial.length > 0 && MARKERS.some((m) => partial.length < m.length && m.subarray(0, partial.length).equals(partial));
    return this.split(data, keep ? lineStart : data.length);
  }

  rest(): Buffer {
    return this.held;
  }

  private split(data: Buffer, at: number): Buffer {
    this.held = Buffer.from(data.subarray(at)); // a copy: the chunk's memory is not ours to keep
    const out = data.subarray(0, at);
    if (out.length > 0) this.atLineStart = out[out.length - 1] === NEWLINE;
    return out;
  }

  /** Index of a `data: [DONE]` line start in data, or -1. */
  private doneLine(data: Buffer): number {
    let first = -1;
    for (const marker of MARKERS) {
      for (let from = 0; ; ) {
        const at = data.indexOf(marker, from);
        if (at === -1) break;
        if (at === 0 ? this.atLineStart : data[at - 1] === NEWLINE) {
          if (first === -1 || at < first) first = at;
          break;
        }
        from = at + 1;
      }
    }
    return first;
  }
}
