/** Values used when nothing configures them (shown with source `default`). */
export const DEFAULTS = {
  // Small on purpose: a budget that is too small costs a little quality, one that is too large is silently truncated by local servers.
  contextWindow: 32_768,
  tokenizer: 'o200k_base',
  editFormat: {anchors: true, patch: true},
  bashTimeoutMax: 600,
  retries: 4,
  // Local servers can take minutes to load a model and read a long prompt before the first byte.
  timeouts: {connectMs: 10_000, headersMs: 300_000, idleMs: 90_000},
  budgetFraction: 0.6,
  gcKeep: 50,
} as const

/** Hosted providers recognised by the environment variable holding their key. */
export const PROVIDERS = [
  {keyEnv: 'OPENAI_API_KEY', baseUrl: 'https://api.openai.com/v1', defaultModel: 'gpt-4.1-mini'},
  {keyEnv: 'OPENROUTER_API_KEY', baseUrl: 'https://openrouter.ai/api/v1', defaultModel: 'qwen/qwen3-coder'},
] as const
