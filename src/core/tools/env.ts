/** Variable names that carry credentials: never handed to commands the model runs. */
const SECRET_NAME = /(^|_)(API_?KEY|ACCESS_?KEY(_ID)?|SECRET(_ACCESS)?(_KEY)?|TOKEN|PASSWORD|PASSWD|PRIVATE_KEY|CREDENTIALS?|AUTH)$/i
/** Our own and model providers' variables, whatever their suffix. */
const SECRET_PREFIX = /^(PARECODE_|OPENAI_|OPENROUTER_|ANTHROPIC_|AZURE_OPENAI_|GEMINI_|GOOGLE_API|GROQ_|MISTRAL_|DEEPSEEK_|TOGETHER_|FIREWORKS_|XAI_|COHERE_|HF_|HUGGING_?FACE_)/i

/** A copy of `env` without API keys, tokens, secrets and provider settings. */
export function scrubEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {}
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined || SECRET_NAME.test(k) || SECRET_PREFIX.test(k)) continue
    out[k] = v
  }
  return out
}
