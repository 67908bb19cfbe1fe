import { estimateTokens } from '../../metering/domain/usage';
import type { RequestSize } from '../../metering/domain/admission';
import { badRequest } from './api-errors';

// Cheap validation of a chat-completions request (hand-written: a hot path), and the body sent
// upstream. Parameters outside OpenAI's chat-completions API are refused like OpenAI does, so
// nothing unexpected reaches the tenant's provider account.

const PARAMETERS = new Set([
  'messages', 'model', 'stream', 'stream_options', 'temperature', 'top_p', 'n', 'stop', 'max_tokens',
  'max_completion_tokens', 'presence_penalty', 'frequency_penalty', 'logit_bias', 'logprobs', 'top_logprobs',
  'user', 'seed', 'response_format', 'tools', 'tool_choice', 'parallel_tool_calls', 'functions', 'function_call',
  'reasoning_effort', 'modalities', 'audio', 'prediction', 'service_tier', 'metadata', 'store', 'verbosity',
  'web_search_options', 'prompt_cache_key', 'safety_identifier',
]);
const ROLES = new Set(['system', 'developer', 'user', 'assistant', 'tool', 'function']);
export const MAX_MESSAGES = 4096;
const MAX_MODEL_LENGTH = 200;
const MAX_CHOICES = 128;

export interface CompletionRequest {
  /** undefined: the key's or the tenant's default model. */
  model: string | undefined;
  stream: boolean;
  messages: ReadonlyArray<Record<string, unknown>>;
  /** max_completion_tokens, else max_tokens: the cap the provider honours per completion. */
  maxCompletionTokens: number | undefined;
  /** Completions asked for (n), default 1. */
  choices: number;
  /** The client's body, validated; forwarded with our changes (see upstreamBody). */
  body: Readonly<Record<string, unknown>>;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Throws ApiError (400) naming the offending parameter. */
export function parseCompletionRequest(body: unknown): CompletionRequest {
  if (!isObject(body)) throw badRequest('The request body must be a JSON object.');
  for (const name in body) {
    if (!PARAMETERS.has(name)) throw badRequest(`Unrecognized request argument supplied: ${name.slice(0, 64)}`, name.slice(0, 64));
  }
  const { model, stream, messages } = body;
  if (model !== undefined && (typeof model !== 'string' || model.length === 0 || model.length > MAX_MODEL_LENGTH)) {
    throw badRequest(`'model' must be a non-empty string of at most ${MAX_MODEL_LENGTH} characters.`, 'model');
  }
  if (stream !== undefined && stream !== null && typeof stream !== 'boolean') throw badRequest("'stream' must be a boolean.", 'stream');
  if (body.stream_options !== undefined && body.stream_options !== null && !isObject(body.stream_options)) {
    throw badRequest("'stream_options' must be an object.", 'stream_options');
  }
  const maxCompletionTokens = optionalCount(body, 'max_completion_tokens', 0) ?? optionalCount(body, 'max_tokens', 0);
  const choices = optionalCount(body, 'n', 1) ?? 1;
  if (choices > MAX_CHOICES) throw badRequest(`'n' must be at most ${MAX_CHOICES}.`, 'n');
  if (!Array.isArray(messages) || messages.length === 0) throw badRequest("'messages' must be a non-empty array.", 'messages');
  if (messages.length > MAX_MESSAGES) throw badRequest(`'messages' must have at most ${MAX_MESSAGES} items.`, 'messages');
  for (let i = 0; i < messages.length; i += 1) {
    const message: unknown = messages[i];
    if (!isObject(message)) throw badRequest(`'messages[${i}]' must be an object.`, `messages[${i}]`);
    if (typeof message.role !== 'string' || !ROLES.has(message.role)) {
      throw badRequest(`'messages[${i}].role' must be one of ${[...ROLES].join(', ')}.`, `messages[${i}].role`);
    }
    const content = message.content;
    if (content !== undefined && content !== null && typeof content !== 'string' && !Array.isArray(content)) {
      throw badRequest(`'messages[${i}].content' must be a string or an array of content parts.`, `messages[${i}].content`);
    }
  }
  return { model: model as string | undefined, stream: stream === true, messages: messages as Array<Record<string, unknown>>, maxCompletionTokens, choices, body };
}

/** An integer parameter that may be absent or null; at least `min`. */
function optionalCount(body: Record<string, unknown>, name: string, min: number): number | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw badRequest(`'${name}' must be an integer of at least ${min}.`, name);
  }
  return value;
}

/**
 * The body for the provider: the client's, with the chosen model, the tenant's hidden system
 * instruction as the first message, and (streaming) usage requested in the final chunk so the
 * tokens are known even for clients that did not ask for them.
 */
export function upstreamBody(request: CompletionRequest, model: string, systemInstruction: string): string {
  const out: Record<string, unknown> = { ...request.body, model };
  if (systemInstruction !== '') out.messages = [{ role: 'system', content: systemInstruction }, ...request.messages];
  if (request.stream) {
    const options = isObject(request.body.stream_options) ? request.body.stream_options : undefined;
    out.stream_options = options ? { ...options, include_usage: true } : { include_usage: true };
  }
  return JSON.stringify(out);
}

/** Text of a message's content (string or text parts), for token estimates. */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  let text = '';
  for (const part of content) {
    if (isObject(part) && typeof part.text === 'string') text += (text === '' ? '' : ' ') + part.text;
  }
  return text;
}

/** Every text sent upstream, system instruction included (estimates when no usage came back). */
export function promptTexts(request: CompletionRequest, systemInstruction: string): string[] {
  const texts = request.messages.map((m) => contentText(m.content));
  return systemInstruction === '' ? texts : [systemInstruction, ...texts];
}

/** How big the call may get, for its reservation: the prompt estimate, the request's cap, n. */
export function requestSize(request: CompletionRequest, systemInstruction: string): RequestSize {
  const promptTokens = promptTexts(request, systemInstruction).reduce((sum, text) => sum + estimateTokens(text), 0);
  return { promptTokens, maxCompletionTokens: request.maxCompletionTokens, choices: request.choices };
}
