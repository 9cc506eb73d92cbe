/** Where a local Ollama listens by default. */
export const OLLAMA_URL = 'http://127.0.0.1:11434'

/** The server named by OLLAMA_HOST (`host`, `host:port` or a URL, as Ollama itself reads it), as an http URL. */
export function ollamaUrlFromEnv(value: string | undefined): string | undefined {
  const v = value?.trim()
  if (!v) return undefined
  try {
    // Like Ollama: without a scheme the port defaults to 11434; with one, to the scheme's own.
    const schemed = /^[a-z]+:\/\//i.test(v)
    const u = new URL(schemed ? v : `http://${v}`)
    // A server bound to every interface is reached on loopback.
    if (u.hostname === '0.0.0.0' || u.hostname === '[::]') u.hostname = '127.0.0.1'
    if (!schemed && !/:\d+$/.test(v.split('/')[0]!)) u.port = '11434'
    return `${u.protocol}//${u.host}`
  } catch {
    return undefined
  }
}

export type FetchFn = (url: string, init?: {signal?: AbortSignal}) => Promise<{ok: boolean; json(): Promise<unknown>}>

export interface OllamaProbe {
  /** OpenAI-compatible endpoint of the server. */
  baseUrl: string
  /** Models the server has, as named by it. */
  models: string[]
  /** The model we would use: a tool-capable one when there is one. */
  model?: string
}

// Model families that handle tool calls well enough to drive an agent, best first.
const TOOL_CAPABLE = [
  /qwen3-coder/i,
  /qwen2\.5-coder/i,
  /qwen3/i,
  /devstral/i,
  /llama3\.[123]/i,
  /mistral-(nemo|small)/i,
  /gpt-oss/i,
  /granite3/i,
  /command-r/i,
  /hermes3/i,
  /firefunction/i,
  /qwen2\.5/i,
  /mistral/i,
]

// Embedding models cannot chat at all.
const NOT_CHAT = /embed|bge-|minilm|nomic-bert|rerank/i

/** Pick the model to drive: the best tool-capable family, else the first chat model. */
export function pickOllamaModel(models: string[]): string | undefined {
  const chat = models.filter((m) => !NOT_CHAT.test(m))
  for (const family of TOOL_CAPABLE) {
    const hit = chat.find((m) => family.test(m))
    if (hit) return hit
  }
  return chat[0]
}

/** Ask a local Ollama for its models (GET /api/tags); undefined when nothing answers within `timeoutMs`. */
export async function probeOllama(fetchFn: FetchFn, opts: {url?: string; timeoutMs?: number} = {}): Promise<OllamaProbe | undefined> {
  const url = (opts.url ?? OLLAMA_URL).replace(/\/+$/, '')
  const signal = AbortSignal.timeout(opts.timeoutMs ?? 300)
  try {
    const res = await fetchFn(`${url}/api/tags`, {signal})
    if (!res.ok) return undefined
    const body = (await res.json()) as {models?: {name?: unknown; model?: unknown}[]}
    if (!body || !Array.isArray(body.models)) return undefined
    const models = body.models.map((m) => String(m?.name ?? m?.model ?? '')).filter(Boolean)
    return {baseUrl: `${url}/v1`, models, model: pickOllamaModel(models)}
  } catch {
    return undefined
  }
}
