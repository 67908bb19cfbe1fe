// Reading the provider's answer on the side of the byte-for-byte relay, at almost no cost per
// chunk: chunks are only kept (references, bounded), and looked at once the answer ended.
// Streaming: the usage is in the last `data:` line that has `"usage":{` (stream_options.
// include_usage); the text actually delivered is needed only when that usage is missing or the
// answer broke off, for an estimate. Whole answers: one JSON document.

const USAGE_MARK = Buffer.from('"usage":{');
const TAIL_BYTES = 16 * 1024;
export const MAX_RETAINED_BYTES = 4 * 1024 * 1024;

export interface ReportedUsage {
  promptTokens: number;
  completionTokens: number;
}

export class ResponseRecorder {
  private readonly chunks: Buffer[] = [];
  private retainedBytes = 0;
  /** Bytes dropped from the front once MAX_RETAINED_BYTES were kept. */
  private droppedBytes = 0;
  totalBytes = 0;

  constructor(readonly streaming: boolean) {}

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.retainedBytes += chunk.length;
    this.totalBytes += chunk.length;
    while (this.retainedBytes > MAX_RETAINED_BYTES && this.chunks.length > 1) {
      const first = this.chunks.shift()!;
      this.retainedBytes -= first.length;
      this.droppedBytes += first.length;
    }
  }

  /** The provider's usage, if the answer carried it. */
  usage(): ReportedUsage | undefined {
    const tail = this.tail();
    if (!this.streaming) {
      // A whole answer ends with its usage object: parse just that, not the whole document.
      const mark = tail.lastIndexOf(USAGE_MARK);
      if (mark === -1) return undefined;
      const start = mark + USAGE_MARK.length - 1;
      const end = closingBrace(tail, start);
      return end === -1 ? undefined : usageOf({ usage: parseJson(tail.subarray(start, end + 1).toString('utf8')) });
    }
    const mark = tail.lastIndexOf(USAGE_MARK);
    if (mark === -1) return undefined;
    const start = tail.lastIndexOf(10, mark) + 1;
    let end = tail.indexOf(10, mark);
    if (end === -1) end = tail.length;
    const line = tail.subarray(start, end).toString('utf8').trim();
    if (!line.startsWith('data:')) return undefined;
    return usageOf(parseJson(line.slice(5).trim()));
  }

  /** The assistant text the client received (content deltas / message content). */
  deliveredText(): string {
    if (!this.streaming) {
      const body = this.wholeJson() as { choices?: Array<{ message?: { content?: unknown } }> } | undefined;
      return (body?.choices ?? []).map((c) => (typeof c?.message?.content === 'string' ? c.message.content : '')).join('');
    }
    let text = '';
    const lines = Buffer.concat(this.chunks).toString('utf8').split('\n');
    for (const raw of lines) {
      const line = raw.trim();
      if (!line.startsWith('data:')) continue;
      const chunk = parseJson(line.slice(5).trim()) as { choices?: Array<{ delta?: { content?: unknown } }> } | undefined;
      for (const choice of chunk?.choices ?? []) if (typeof choice?.delta?.content === 'string') text += choice.delta.content;
    }
    if (this.droppedBytes > 0 && this.retainedBytes > 0) {
      // The front of a very long answer was not kept: extrapolate at the kept part's density.
      const missing = Math.round((text.length * this.droppedBytes) / this.retainedBytes);
      text = ' '.repeat(missing) + text;
    }
    return text;
  }

  private tail(): Buffer {
    const parts: Buffer[] = [];
    let size = 0;
    for (let i = this.chunks.length - 1; i >= 0 && size < TAIL_BYTES; i -= 1) {
      parts.unshift(this.chunks[i]!);
      size += this.chunks[i]!.length;
    }
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  }

  private wholeJson(): unknown {
    if (this.droppedBytes > 0) return undefined;
    return parseJson(Buffer.concat(this.chunks).toString('utf8'));
  }
}

/** Index of the '}' closing the object that opens at `start`, skipping strings; -1 if none. */
function closingBrace(bytes: Buffer, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < bytes.length; i += 1) {
    const c = bytes[i];
    if (inString) {
      if (c === 0x5c) i += 1; // backslash: skip the escaped byte
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b) depth += 1;
    else if (c === 0x7d && --depth === 0) return i;
  }
  return -1;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function usageOf(body: unknown): ReportedUsage | undefined {
  const usage = (body as { usage?: { prompt_tokens?: unknown; completion_tokens?: unknown } } | undefined)?.usage;
  if (!usage) return undefined;
  const { prompt_tokens: prompt, completion_tokens: completion } = usage;
  if (!Number.isSafeInteger(prompt) || !Number.isSafeInteger(completion) || (prompt as number) < 0 || (completion as number) < 0) return undefined;
  return { promptTokens: prompt as number, completionTokens: completion as number };
}
