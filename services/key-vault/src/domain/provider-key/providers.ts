// LLM providers a tenant can plug a key in for. 'openai-compatible' is any endpoint speaking
// the OpenAI API (vLLM, Ollama, …) and therefore needs a base URL.
export const PROVIDERS = ['openai', 'openai-compatible', 'anthropic', 'xai'] as const;
export type Provider = (typeof PROVIDERS)[number];

export function isProvider(value: string): value is Provider {
  return (PROVIDERS as readonly string[]).includes(value);
}

export function requiresBaseUrl(provider: Provider): boolean {
  return provider === 'openai-compatible';
}

/** The provider's public OpenAI-compatible endpoint, used when a key has no base URL. */
export function publicBaseUrl(provider: Provider): string {
  switch (provider) {
    case 'openai':
    case 'openai-compatible':
      return 'https://api.openai.com/v1';
    case 'xai':
      return 'https://api.x.ai/v1';
    case 'anthropic':
      return 'https://api.anthropic.com/v1';
  }
}
