/**
 * Ollama runs a model with its own context size (num_ctx), often far smaller than the model supports,
 * and silently drops what does not fit. We read what it will really use and warn with the fix.
 */

import {timerMs} from '../text/limits.js'

export interface LocalContextInfo {
  server: 'ollama'
  model: string
  /** What the model supports (model_info.<arch>.context_length). */
  modelContext?: number
  /** The context the server runs (or will run) the model with. */
  effectiveContext: number
  /** loaded: GET /api/ps of the running model; modelfile: PARAMETER num_ctx; default: Ollama's default. */
  source: 'loaded' | 'modelfile' | 'default'
  /** Set when the effective context is smaller than the profile's context_window. */
  warning?: string
}

type Fetch = typeof fetch

/** The server root of an OpenAI-compatible base URL (`http://host:11434/v1` -> `http://host:11434`). */
export function serverRoot(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, '').replace(/\/v1$/, '')
}

/** Local-looking endpoints are worth one probe; cloud APIs are not. */
export function isLocalEndpoint(baseUrl: string): boolean {
  try {
    const u = new URL(baseUrl)
    const h = u.hostname.replace(/^\[|\]$/g, '')
    return (
      u.port === '11434' ||
      h === 'localhost' ||
      h === '::1' ||
      h.endsWith('.local') ||
      /^(127\.|10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|0\.0\.0\.0$)/.test(h)
    )
  } catch {
    return false
  }
}

// Ollama's answers here are a few KiB (the Modelfile and license are the largest part); more is not Ollama.
const MAX_ANSWER_BYTES = 4 * 1024 * 1024

async function getJson(f: Fetch, url: string, init: RequestInit, timeoutMs: number, signal?: AbortSignal): Promise<any | undefined> {
  const timeout = AbortSignal.timeout(timerMs(timeoutMs))
  try {
    const res = await f(url, {...init, signal: signal ? AbortSignal.any([signal, timeout]) : timeout})
    if (!res.ok || !res.body) {
      await res.body?.cancel().catch(() => {})
      return undefined
    }
    const decoder = new TextDecoder()
    let text = ''
    let bytes = 0
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      bytes += chunk.byteLength
      // Leaving the loop cancels the body, so the rest is never read.
      if (bytes > MAX_ANSWER_BYTES) return undefined
      text += decoder.decode(chunk, {stream: true})
    }
    return JSON.parse(text + decoder.decode())
  } catch {
    return undefined
  }
}

const sameModel = (a: string, b: string) => a === b || a.replace(/:latest$/, '') === b.replace(/:latest$/, '')

/**
 * If `baseUrl` is an Ollama server, the context it will give `model`, with a warning (and the fix)
 * when that is smaller than `contextWindow`. Undefined when the server is not Ollama or does not answer.
 */
export async function checkLocalContext(opts: {
  baseUrl: string
  model: string
  contextWindow?: number
  fetch?: Fetch
  timeoutMs?: number
  signal?: AbortSignal
}): Promise<LocalContextInfo | undefined> {
  const f = opts.fetch ?? fetch
  const root = serverRoot(opts.baseUrl)
  const t = opts.timeoutMs ?? 2000
  const post = {method: 'POST', headers: {'content-type': 'application/json'}, body: JSON.stringify({model: opts.model})}
  const show = await getJson(f, `${root}/api/show`, post, t, opts.signal)
  if (!show) return undefined
  if (typeof show !== 'object' || !('model_info' in show || 'parameters' in show || 'details' in show)) return undefined

  let modelContext: number | undefined
  for (const [k, v] of Object.entries((show.model_info ?? {}) as Record<string, unknown>)) {
    if (k.endsWith('.context_length') && typeof v === 'number') modelContext = v
  }
  const numCtx = /(?:^|\n)\s*num_ctx\s+(\d+)/.exec(String(show.parameters ?? ''))?.[1]
  const ps = await getJson(f, `${root}/api/ps`, {}, t, opts.signal)
  const loaded = Array.isArray(ps?.models)
    ? ps.models.find((m: any) => sameModel(String(m?.name ?? m?.model ?? ''), opts.model) && typeof m?.context_length === 'number')
    : undefined

  let effectiveContext: number
  let source: LocalContextInfo['source']
  if (loaded) {
    effectiveContext = loaded.context_length
    source = 'loaded'
  } else if (numCtx) {
    effectiveContext = Number(numCtx)
    source = 'modelfile'
  } else {
    // Ollama's default num_ctx was 2048 before 0.6 and 4096 since (OLLAMA_CONTEXT_LENGTH changes it).
    const version = await getJson(f, `${root}/api/version`, {}, t, opts.signal)
    const [major, minor] = String(version?.version ?? '0.6').split('.').map(Number)
    effectiveContext = major === 0 && minor < 6 ? 2048 : 4096
    source = 'default'
  }
  const info: LocalContextInfo = {server: 'ollama', model: opts.model, modelContext, effectiveContext, source}
  const wanted = opts.contextWindow
  if (wanted && effectiveContext < wanted) {
    const target = modelContext ? Math.min(wanted, modelContext) : wanted
    const beyond = modelContext && modelContext < wanted ? ` (the model itself supports at most ${modelContext})` : ''
    const runs =
      source === 'loaded'
        ? `Ollama is running ${opts.model} with a ${effectiveContext}-token context`
        : source === 'modelfile'
          ? `Ollama runs ${opts.model} with a ${effectiveContext}-token context (PARAMETER num_ctx)`
          : `Ollama probably runs ${opts.model} with its default ${effectiveContext}-token context (unless the server sets OLLAMA_CONTEXT_LENGTH)`
    info.warning = effectiveContext >= target
      ? `${opts.model} supports at most ${modelContext} tokens, less than the profile's context_window of ${wanted}; set context_window: ${effectiveContext}.`
      : `${runs}, smaller than the profile's context_window of ${wanted}${beyond}; ` +
      `Ollama silently drops what does not fit. Fix: restart it with \`OLLAMA_CONTEXT_LENGTH=${target} ollama serve\`, ` +
      `or build a model with \`PARAMETER num_ctx ${target}\` in a Modelfile (\`ollama create\`), or set context_window: ${effectiveContext}.`
  }
  return info
}
