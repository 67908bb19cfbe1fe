// Token counts for what was actually delivered. The upstream's own usage (final stream chunk)
// is authoritative; when it is missing (client went away, stream broke, provider does not
// report it) we estimate at ~4 characters per token and say so in the event.

export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
  estimated: boolean;
}

export type UsageOutcome = 'ok' | 'upstream_error' | 'client_aborted';

export const CHARS_PER_TOKEN = 4;

/** ceil(characters / 4); counts code points, so an emoji is one character, not two. */
export function estimateTokens(text: string): number {
  let chars = 0;
  for (const _ of text) chars += 1;
  return Math.ceil(chars / CHARS_PER_TOKEN);
}

export interface DeliveryFacts {
  /** False when the provider refused or never answered (error status, timeout before the head). */
  providerAnswered: boolean;
  /** Usage reported by the upstream, if it sent any. */
  reported: { promptTokens: number; completionTokens: number } | undefined;
  /** Every message text sent upstream (system instruction included: the tenant pays for it). */
  promptTexts: readonly string[];
  /** The assistant text the client actually received. */
  deliveredText: string;
  outcome: UsageOutcome;
}

/**
 * A request the provider never accepted costs nothing (providers do not bill refused requests).
 * Reported counts are used only when the whole answer was delivered; after an abort or a break
 * the provider's completion count may include tokens the member never saw, so those are
 * estimated from the delivered text instead (prompt tokens stay as reported: they were spent).
 */
export function usageFor(facts: DeliveryFacts): TokenUsage {
  if (!facts.providerAnswered) return { promptTokens: 0, completionTokens: 0, estimated: false };
  const estimatedPrompt = facts.promptTexts.reduce((sum, text) => sum + estimateTokens(text), 0);
  const estimatedCompletion = estimateTokens(facts.deliveredText);
  if (facts.reported && facts.outcome === 'ok') {
    return { ...facts.reported, estimated: false };
  }
  if (facts.reported) {
    return { promptTokens: facts.reported.promptTokens, completionTokens: estimatedCompletion, estimated: true };
  }
  return { promptTokens: estimatedPrompt, completionTokens: estimatedCompletion, estimated: true };
}
