import type {ServerSpot} from './servers.js'

/** What setup learned about one model of a local server. */
export interface FoundModel {
  id: string
  /** true/false when the server says whether the model takes tools; undefined when it does not say. */
  tools?: boolean
  /** The context the model supports, in tokens, when the server says. */
  contextWindow?: number
}

/** A local server that answered. */
export interface FoundServer {
  name: string
  /** OpenAI-compatible API root (`http://127.0.0.1:PORT/v1`). */
  baseUrl: string
  kind: 'ollama' | 'openai'
  models: FoundModel[]
}

export type ProbeFetch = (url: string, init?: {method?: string; headers?: Record<string, string>; body?: string; signal?: AbortSignal}) => Promise<{ok: boolean; text(): Promise<string>}>

// Answers here are lists of models: a few KiB. More is not a model server.
const MAX_BYTES = 1 << 20
const MAX_MODELS = 200
/** Ollama's /api/show is asked per model, in parallel: at most this many. */
const SHOW_LIMIT = 24

async function getJson(f: ProbeFetch, url: string, timeoutMs: number, post?: unknown): Promise<any> {
  try {
    const init = post === undefined ? {} : {method: 'POST', headers: {'content-type': 'application/json'}, body: JSON.stringify(post)}
    const res = await f(url, {...init, signal: AbortSignal.timeout(timeoutMs)})
    if (!res.ok) return undefined
    const text = await res.text()
    return text.length > MAX_BYTES ? undefined : JSON.parse(text)
  } catch {
    return undefined
  }
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? Math.floor(v) : undefined)

/** Tools and context from a /v1/models entry, in the fields the servers use (vLLM, llama.cpp, LM Studio, OpenRouter). */
function fromListing(m: any): FoundModel | undefined {
  const id = typeof m?.id === 'string' ? m.id : undefined
  if (!id) return undefined
  const caps: unknown[] = [...(Array.isArray(m.capabilities) ? m.capabilities : []), ...(Array.isArray(m.supported_parameters) ? m.supported_parameters : [])]
  const said = Array.isArray(m.capabilities) || Array.isArray(m.supported_parameters)
  const tools = said ? caps.some((c) => c === 'tools' || c === 'tool_use' || c === 'function_calling') : undefined
  const contextWindow = num(m.max_model_len) ?? num(m.context_length) ?? num(m.max_context_length) ?? num(m.meta?.n_ctx_train) ?? num(m.meta?.n_ctx)
  return {id, ...(tools === undefined ? {} : {tools}), ...(contextWindow ? {contextWindow} : {})}
}

/** What Ollama's /api/show says of a model: its capabilities and the context it supports. */
function fromShow(id: string, show: any): FoundModel {
  const out: FoundModel = {id}
  if (Array.isArray(show?.capabilities)) out.tools = show.capabilities.includes('tools')
  for (const [k, v] of Object.entries((show?.model_info ?? {}) as Record<string, unknown>)) {
    if (k.endsWith('.context_length') && num(v)) out.contextWindow = num(v)
  }
  return out
}

/**
 * Ask one spot on 127.0.0.1 what it serves: Ollama's /api/tags (then /api/show per model) or /v1/models.
 * Undefined when nothing answers within `timeoutMs`.
 */
export async function probeServer(f: ProbeFetch, spot: ServerSpot, opts: {timeoutMs?: number; showTimeoutMs?: number; host?: string} = {}): Promise<FoundServer | undefined> {
  const root = `http://${opts.host ?? '127.0.0.1'}:${spot.port}`
  const t = opts.timeoutMs ?? 300
  const [tags, listing] = await Promise.all([getJson(f, `${root}/api/tags`, t), getJson(f, `${root}/v1/models`, t)])
  if (tags && Array.isArray(tags.models)) {
    const names = tags.models.map((m: any) => String(m?.name ?? m?.model ?? '')).filter(Boolean).slice(0, MAX_MODELS) as string[]
    const shown = await Promise.all(names.map((n, i) => (i < SHOW_LIMIT ? getJson(f, `${root}/api/show`, opts.showTimeoutMs ?? 1500, {model: n}) : undefined)))
    return {name: spot.name, baseUrl: `${root}/v1`, kind: 'ollama', models: names.map((n, i) => (shown[i] ? fromShow(n, shown[i]) : {id: n}))}
  }
  if (listing && Array.isArray(listing.data)) {
    const models = (listing.data as unknown[]).slice(0, MAX_MODELS).map(fromListing).filter((m): m is FoundModel => Boolean(m))
    return {name: spot.name, baseUrl: `${root}/v1`, kind: 'openai', models}
  }
  return undefined
}
