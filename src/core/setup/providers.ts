/** A hosted provider with an OpenAI-compatible endpoint, recognised by the environment variable holding its key. */
export interface ProviderSpec {
  /** Profile name written for it. */
  id: string
  name: string
  /** Variables that may hold the key, the usual one first. */
  keyEnvs: readonly string[]
  baseUrl: string
  /** A capable, reasonably priced model to start with (the user can change `model:` later). */
  model: string
}

// Base URLs of each provider's OpenAI-compatible API (chat completions with tools).
export const PROVIDER_SPECS: readonly ProviderSpec[] = [
  {id: 'openai', name: 'OpenAI', keyEnvs: ['OPENAI_API_KEY'], baseUrl: 'https://api.openai.com/v1', model: 'gpt-4.1-mini'},
  {id: 'openrouter', name: 'OpenRouter', keyEnvs: ['OPENROUTER_API_KEY'], baseUrl: 'https://openrouter.ai/api/v1', model: 'qwen/qwen3-coder'},
  {id: 'anthropic', name: 'Anthropic', keyEnvs: ['ANTHROPIC_API_KEY'], baseUrl: 'https://api.anthropic.com/v1', model: 'claude-sonnet-4-5'},
  {id: 'deepseek', name: 'DeepSeek', keyEnvs: ['DEEPSEEK_API_KEY'], baseUrl: 'https://api.deepseek.com/v1', model: 'deepseek-chat'},
  {id: 'groq', name: 'Groq', keyEnvs: ['GROQ_API_KEY'], baseUrl: 'https://api.groq.com/openai/v1', model: 'openai/gpt-oss-120b'},
  {id: 'mistral', name: 'Mistral', keyEnvs: ['MISTRAL_API_KEY'], baseUrl: 'https://api.mistral.ai/v1', model: 'devstral-medium-latest'},
  {id: 'gemini', name: 'Gemini', keyEnvs: ['GEMINI_API_KEY', 'GOOGLE_API_KEY'], baseUrl: 'https://generativelanguage.googleapis.com/v1beta/openai', model: 'gemini-2.5-flash'},
]

/** A provider whose key is in the environment. Only the variable's name is kept: the key itself never leaves env. */
export interface FoundProvider {
  id: string
  name: string
  keyEnv: string
  baseUrl: string
  model: string
  /** Set when PARECODE_SETUP_<ID>_BASE_URL replaced the provider's address (for tests against a loopback server). */
  baseUrlFrom?: string
}

/** Providers with a key set, in the table's order. */
export function detectProviders(env: Record<string, string | undefined>): FoundProvider[] {
  const found: FoundProvider[] = []
  for (const p of PROVIDER_SPECS) {
    const keyEnv = p.keyEnvs.find((k) => env[k]?.trim())
    if (!keyEnv) continue
    const overrideName = `PARECODE_SETUP_${p.id.toUpperCase()}_BASE_URL`
    const override = env[overrideName]?.trim()
    const usable = override && /^https?:\/\/[^\s/]+/.test(override)
    found.push({id: p.id, name: p.name, keyEnv, baseUrl: usable ? override.replace(/\/+$/, '') : p.baseUrl, model: p.model, ...(usable ? {baseUrlFrom: overrideName} : {})})
  }
  return found
}
