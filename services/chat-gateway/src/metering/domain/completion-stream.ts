// Reads an OpenAI-style streamed answer (server-sent events, one JSON chunk per `data:` line) as
// it arrives, for a front door that re-frames it (member chat): the content deltas in order, and
// the usage of the final chunk (stream_options.include_usage). Lines split across network chunks
// are joined; `data: [DONE]`, comments and lines that are not JSON are skipped.

export interface StreamUsage {
  promptTokens: number;
  completionTokens: number;
}

export class CompletionStreamReader {
  private partial = '';
  private readonly decoder = new TextDecoder();
  usage: StreamUsage | undefined;

  /** The content deltas completed by this piece of the stream. */
  push(bytes: Uint8Array): string[] {
    const text = this.partial + this.decoder.decode(bytes, { stream: true });
    const lines = text.split('\n');
    this.partial = lines.pop() ?? '';
    const deltas: string[] = [];
    for (const raw of lines) {
      const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      if (!line.startsWith('data:')) continue;
      const data = line.slice(5).trimStart();
      if (data === '[DONE]') continue;
      const chunk = parse(data);
      const content = chunk?.choices?.[0]?.delta?.content;
      if (typeof content === 'string' && content !== '') deltas.push(content);
      const usage = chunk?.usage;
      if (usage && Number.isSafeInteger(usage.prompt_tokens) && Number.isSafeInteger(usage.completion_tokens)) {
        this.usage = { promptTokens: usage.prompt_tokens as number, completionTokens: usage.completion_tokens as number };
      }
    }
    return deltas;
  }
}

interface Chunk {
  choices?: Array<{ delta?: { content?: unknown } }>;
  usage?: { prompt_tokens?: unknown; completion_tokens?: unknown } | null;
}

function parse(data: string): Chunk | undefined {
  try {
    const value: unknown = JSON.parse(data);
    return typeof value === 'object' && value !== null ? (value as Chunk) : undefined;
  } catch {
    return undefined;
  }
}
