'use strict';
// The deterministic answer: the same messages always give the same text, chunks and usage, so
// tests can assert on exact content without a model.

function textOf(content) {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((part) => (part && typeof part === 'object' && typeof part.text === 'string' ? part.text : ''))
      .join(' ');
  }
  return '';
}

function words(text) {
  return text.split(/\s+/).filter(Boolean);
}

/** Reply text: "Echo (<n> words): <the words of the last user message>". */
function replyText(messages) {
  const lastUser = [...messages].reverse().find((m) => m && m.role === 'user');
  const w = words(textOf(lastUser ? lastUser.content : ''));
  return `Echo (${w.length} words): ${w.join(' ')}`.trimEnd();
}

/** Splits the reply into `count` contiguous pieces (default: one per word), joined = text. */
function splitIntoChunks(text, count) {
  const pieces = text.match(/\S+\s*/g) ?? [text];
  const n = Math.max(1, Math.min(count ?? pieces.length, pieces.length));
  const size = Math.ceil(pieces.length / n);
  const chunks = [];
  for (let i = 0; i < pieces.length; i += size) chunks.push(pieces.slice(i, i + size).join(''));
  return chunks;
}

/** Token counts: one token per word; each message adds 1 for its role framing. */
function usageFor(messages, text) {
  const promptTokens = messages.reduce((sum, m) => sum + 1 + words(textOf(m && m.content)).length, 0);
  const completionTokens = words(text).length;
  return { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens };
}

module.exports = { replyText, splitIntoChunks, usageFor, textOf };
