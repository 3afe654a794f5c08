// Known OpenAI-compatible providers as data: adding one is one entry. `as const satisfies` keeps
// the ids a literal union, so a misspelt id fails to compile wherever it is named in code.

export interface ProviderInfo {
  readonly name: string;
  readonly baseUrl: string;
  /** Environment variable that holds the key; null for local servers that need none. */
  readonly keyEnv: string | null;
}

export const PROVIDERS = {
  openai: { name: "OpenAI", baseUrl: "https://api.openai.com/v1", keyEnv: "OPENAI_API_KEY" },
  anthropic: { name: "Anthropic", baseUrl: "https://api.anthropic.com/v1", keyEnv: "ANTHROPIC_API_KEY" },
  gemini: {
    name: "Google Gemini",
    baseUrl: "https://generativelanguage.googleapis.com/v1beta/openai",
    keyEnv: "GEMINI_API_KEY",
  },
  openrouter: { name: "OpenRouter", baseUrl: "https://openrouter.ai/api/v1", keyEnv: "OPENROUTER_API_KEY" },
  groq: { name: "Groq", baseUrl: "https://api.groq.com/openai/v1", keyEnv: "GROQ_API_KEY" },
  deepseek: { name: "DeepSeek", baseUrl: "https://api.deepseek.com/v1", keyEnv: "DEEPSEEK_API_KEY" },
  mistral: { name: "Mistral", baseUrl: "https://api.mistral.ai/v1", keyEnv: "MISTRAL_API_KEY" },
  together: { name: "Together AI", baseUrl: "https://api.together.xyz/v1", keyEnv: "TOGETHER_API_KEY" },
  xai: { name: "xAI", baseUrl: "https://api.x.ai/v1", keyEnv: "XAI_API_KEY" },
  ollama: { name: "Ollama", baseUrl: "http://127.0.0.1:11434/v1", keyEnv: null },
  lmstudio: { name: "LM Studio", baseUrl: "http://127.0.0.1:1234/v1", keyEnv: null },
  vllm: { name: "vLLM", baseUrl: "http://127.0.0.1:8000/v1", keyEnv: null },
} as const satisfies Record<string, ProviderInfo>;

export type ProviderId = keyof typeof PROVIDERS;

export const PROVIDER_IDS = Object.keys(PROVIDERS) as ProviderId[];

export function isProviderId(id: string): id is ProviderId {
  return Object.hasOwn(PROVIDERS, id);
}
