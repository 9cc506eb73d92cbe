/** Shown when nothing configures an endpoint: how to set one up, in a few lines. */
export function setupHelp(userFile: string): string {
  return `No model is configured.

Point git pare at any OpenAI-compatible endpoint, for example in ${userFile}:

  profile: local
  profiles:
    local:
      base_url: http://127.0.0.1:11434/v1   # Ollama; llama.cpp, vLLM, LM Studio work alike
      model: qwen2.5-coder:14b
    openrouter:
      base_url: https://openrouter.ai/api/v1
      model: qwen/qwen3-coder
      api_key_env: OPENROUTER_API_KEY        # the NAME of the variable; keys never go in files

Or use the environment: PARECODE_BASE_URL, PARECODE_MODEL, PARECODE_API_KEY
(OPENAI_API_KEY or OPENROUTER_API_KEY alone is enough for those providers).
A local Ollama on 127.0.0.1:11434 is found automatically when nothing else is set.`
}
