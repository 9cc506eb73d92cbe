import {ContextLengthError, InterruptedError, ModelError} from '../errors/index.js'
import {contextFigures, isContextError} from './context-errors.js'
import {retryAfterInMessage, retryAfterMs} from './retry.js'

/**
 * Turns whatever a request attempt failed with (openai SDK errors, undici errors, our stream checks)
 * into one-line ModelErrors with a hint, and says whether trying again can help.
 */

/** An error object the server sent inside the stream. */
export class StreamErrorObject extends Error {
  constructor(readonly body: unknown) {
    super('error object in stream')
  }
}

/** The stream ended before a finish_reason or [DONE]. */
export class StreamCutError extends Error {
  constructor() {
    super('stream ended early')
  }
}

/** The response passed one of the byte caps in text/limits.ts (`what`: "more than 8 MiB of text", …). */
export class ResponseTooLargeError extends Error {
  constructor(readonly what: string) {
    super(`response too large: ${what}`)
  }
}

/** A chunk that is not JSON. */
export class BadChunkError extends Error {
  constructor(readonly chunk: string) {
    super('bad chunk')
  }
}

export interface Failure {
  error: ModelError | InterruptedError
  retryable: boolean
  /** Wait the server asked for. */
  retryAfterMs?: number
  /** Short reason for retry events ("429 rate limited"). */
  reason: string
}

export interface FailureContext {
  url: string
  model: string
  /** Where the API key came from (e.g. "$OPENROUTER_API_KEY"), for the 401 hint. */
  apiKeySource?: string
  hasKey: boolean
  idleMs: number
  /** Models the server offers, for the 404 hint (best effort). */
  listModels: () => Promise<string[]>
  /** The prompt as we counted it, and the window the profile gives: figures for a context-length error. */
  promptTokens?: number
  window?: number
}

// A spent quota or an unpaid bill (OpenAI's insufficient_quota, "exceeded your current quota", credits, billing):
// waiting does not help. A limit per minute that some providers also call a quota (with a time to retry) does.
const QUOTA_ID = /insufficient_quota|quota_exceeded|billing|credit|payment/i
const QUOTA_TEXT = /insufficient[_ ]quota|exceeded your (current )?quota|quota (has been |was |is )?(exceeded|exhausted|reached|used up)|\bbilling\b|insufficient (credits?|balance|funds)|out of credits?|credit balance|payment required|requires more credits|purchase (more )?credits/i
const PER_WINDOW = /per[ _-]?(minute|second)|Per(Minute|Second)|\b(RPM|TPM|RPS)\b|(retry|try again) in \d/i

function isQuota(message: string, code: unknown, type: unknown): boolean {
  const ids = `${typeof code === 'string' ? code : ''} ${typeof type === 'string' ? type : ''}`
  if (QUOTA_ID.test(ids)) return true
  return (QUOTA_TEXT.test(message) || /quota/i.test(ids)) && !PER_WINDOW.test(message)
}

function quotaFailure(url: string, message: string, status?: number): Failure {
  return {
    error: new ModelError(oneLine(`the account's quota or billing limit is reached at ${url} (not retried)${message ? `: ${message}` : ''}`), {code: 'quota', status, hint: "add credit or raise the limit in the provider's billing settings, or use another profile"}),
    retryable: false,
    reason: 'quota',
  }
}

function contextFailure(message: string, body: unknown, ctx: FailureContext, cause?: unknown): Failure {
  const f = contextFigures(message, body)
  // Ollama says only how far over it is: the window is what we sent less that.
  const window = f.window ?? (f.excess && ctx.promptTokens && ctx.promptTokens > f.excess ? ctx.promptTokens - f.excess : undefined)
  const info = {
    ...(window ? {window} : {}),
    ...(f.prompt ? {serverPrompt: f.prompt} : {}),
    ...(ctx.promptTokens ? {sentPrompt: ctx.promptTokens} : {}),
    ...(ctx.window ? {assumedWindow: ctx.window} : {}),
  }
  return {error: new ContextLengthError(oneLine(`context length exceeded: ${message}`), cause, info), retryable: false, reason: 'context length'}
}

function codesOf(err: unknown, depth = 0): string[] {
  if (!err || typeof err !== 'object' || depth > 5) return []
  const e = err as {code?: unknown; cause?: unknown; errors?: unknown[]; name?: string}
  const own = typeof e.code === 'string' ? [e.code] : []
  const nested = [...codesOf(e.cause, depth + 1), ...(Array.isArray(e.errors) ? e.errors.flatMap((x) => codesOf(x, depth + 1)) : [])]
  const names = [e.name, (err as object).constructor?.name].filter((x): x is string => typeof x === 'string')
  return [...own, ...names, ...nested]
}

/** One line, bounded: server messages can be paragraphs. */
export function oneLine(s: string, max = 200): string {
  const flat = s.replace(/\s+/g, ' ').trim()
  return flat.length > max ? flat.slice(0, max - 1) + '…' : flat
}

/** The error object of a failed response: `{error: {…}}`, or the top-level body (older vLLM, FastAPI's `detail`). */
function errorBody(err: any): Record<string, unknown> {
  const whole = err?.body
  if (whole && typeof whole === 'object') {
    const inner = (whole as any).error
    return inner && typeof inner === 'object' ? inner : (whole as Record<string, unknown>)
  }
  return err?.error && typeof err.error === 'object' ? err.error : {}
}

function serverMessage(err: any): string {
  const body = errorBody(err)
  for (const k of ['message', 'detail', 'error'] as const) if (typeof body[k] === 'string' && body[k]) return body[k] as string
  if (typeof err?.body === 'string' && err.body.trim()) return err.body.trim()
  if (typeof err?.error === 'string') return err.error
  const msg = typeof err?.message === 'string' ? err.message : String(err)
  return msg.replace(/^\d{3}\s+/, '').replace(/^status code \(no body\)$/, '')
}

const isLocal = (url: string): boolean => /^https?:\/\/(localhost|127\.|\[::1\]|0\.0\.0\.0)/i.test(url)
const looksOllama = (url: string): boolean => /:11434(\/|$)/.test(url)

/** Map a failed attempt to a user-facing error and a retry decision. */
export async function classifyFailure(err: unknown, ctx: FailureContext, signal?: AbortSignal): Promise<Failure> {
  const {url, model} = ctx
  if (signal?.aborted || err instanceof InterruptedError) return {error: new InterruptedError(), retryable: false, reason: 'interrupted'}
  if (err instanceof ModelError) return {error: err, retryable: false, reason: err.code}

  if (err instanceof StreamCutError) {
    return {
      error: new ModelError(`the stream from ${url} ended before the model finished`, {code: 'stream_cut', hint: 'the server closed the connection early; its partial tool calls were not run'}),
      retryable: true,
      reason: 'stream cut off',
    }
  }
  if (err instanceof ResponseTooLargeError) {
    // Not retried: a server that loops or floods would only do it again, at the same cost.
    return {
      error: new ModelError(`${url} sent ${err.what} in one answer; the request was stopped`, {code: 'response_too_large', hint: 'no real answer is that long: the model is looping or the server is misbehaving; try again with another model or server'}),
      retryable: false,
      reason: 'response too large',
    }
  }
  if (err instanceof BadChunkError) {
    return {error: new ModelError(`${url} sent a stream chunk that is not JSON: ${oneLine(err.chunk, 80)}`, {code: 'bad_stream', hint: 'the server may not speak the OpenAI chat-completions API at this base_url'}), retryable: false, reason: 'bad chunk'}
  }
  if (err instanceof StreamErrorObject) {
    const body = (err.body ?? {}) as {message?: unknown; code?: unknown; type?: unknown}
    const message = typeof body.message === 'string' ? body.message : typeof err.body === 'string' ? err.body : JSON.stringify(err.body)
    if (isContextError(message, body.code, body.type)) return contextFailure(message, body, ctx)
    if (isQuota(message, body.code, body.type)) return quotaFailure(url, message)
    const code = Number(body.code)
    const retryable = code === 429 || (code >= 500 && code < 600) || /overloaded|rate.?limit/i.test(String(body.type ?? '') + message)
    return {
      error: new ModelError(oneLine(`${url} reported an error mid-stream: ${message}`), {code: 'stream_error', hint: 'the provider failed while answering; try again, or another model'}),
      retryable,
      reason: 'error in stream',
    }
  }

  const e = err as any
  const status: number | undefined = typeof e?.status === 'number' ? e.status : undefined
  if (status !== undefined) {
    const msg = serverMessage(e)
    const body = errorBody(e)
    const wait = retryAfterMs(e.headers) ?? retryAfterInMessage(msg)
    // A context problem under any status (llama.cpp sent 500 for it): never retried as it is, never a server outage.
    if (status !== 401 && status !== 404 && status !== 429 && isContextError(msg, body.code, body.type)) return contextFailure(msg, body, ctx, err)
    if (status === 402 || ((status === 400 || status === 403 || status === 429) && isQuota(msg, body.code, body.type))) return quotaFailure(url, msg, status)
    if (status === 401 || status === 403) {
      const hint = ctx.apiKeySource
        ? `the key came from ${ctx.apiKeySource}; check that it holds a valid key for this server`
        : ctx.hasKey
          ? 'check the API key configured for this profile'
          : 'no API key was sent; set PARECODE_API_KEY, or name the variable holding it in the profile (api_key_env)'
      return {error: new ModelError(oneLine(`${url} rejected the request (${status}${msg ? `: ${msg}` : ''})`), {code: 'auth', status, hint}), retryable: false, reason: 'auth'}
    }
    if (status === 404) {
      if (/model/i.test(msg)) {
        const offered = await ctx.listModels().catch(() => [] as string[])
        const list = offered.length ? `the server offers: ${offered.slice(0, 12).join(', ')}${offered.length > 12 ? `, … (${offered.length} in all)` : ''}` : looksOllama(url) ? `pull it with \`ollama pull ${model}\`` : 'check the model name'
        return {error: new ModelError(`model "${model}" not found at ${url}`, {code: 'model_not_found', status, hint: list}), retryable: false, reason: 'model not found'}
      }
      return {
        error: new ModelError(`${url}/chat/completions was not found (404)`, {code: 'not_found', status, hint: 'base_url should be the OpenAI-compatible API root, usually ending in /v1'}),
        retryable: false,
        reason: 'not found',
      }
    }
    if (status === 429) return {error: new ModelError(oneLine(`rate limited by ${url}${msg ? `: ${msg}` : ''}`), {code: 'rate_limited', status, hint: 'wait a little and try again, or use a plan with a higher rate limit'}), retryable: true, retryAfterMs: wait, reason: '429 rate limited'}
    if (status === 408 || status >= 500) {
      return {error: new ModelError(oneLine(`${url} failed with ${status}${msg ? `: ${msg}` : ''}`), {code: 'server_error', status, hint: 'the provider is having trouble; try again later'}), retryable: true, retryAfterMs: wait, reason: `${status} server error`}
    }
    return {error: new ModelError(oneLine(`${url} refused the request (${status}${msg ? `: ${msg}` : ''})`), {code: 'bad_request', status, hint: 'the server did not accept the request for this model; check the profile (model, base_url)'}), retryable: false, reason: `${status}`}
  }

  const codes = codesOf(err)
  const has = (...c: string[]) => c.some((x) => codes.includes(x))
  if (has('ECONNREFUSED')) {
    const hint = looksOllama(url) ? 'is Ollama running? start it with `ollama serve`' : isLocal(url) ? 'is the local model server running?' : 'check base_url and your network connection'
    return {error: new ModelError(`cannot connect to ${url} (connection refused)`, {code: 'connection_refused', hint}), retryable: false, reason: 'connection refused'}
  }
  if (has('ENOTFOUND', 'EAI_AGAIN')) {
    return {error: new ModelError(`cannot resolve the host of ${url}`, {code: 'dns', hint: 'check base_url and your network connection'}), retryable: has('EAI_AGAIN'), reason: 'dns'}
  }
  if (has('UND_ERR_BODY_TIMEOUT', 'BodyTimeoutError')) {
    return {error: new ModelError(`${url} stopped sending for ${ctx.idleMs < 1000 ? `${ctx.idleMs}ms` : `${Math.round(ctx.idleMs / 1000)}s`} in the middle of an answer`, {code: 'idle_timeout', hint: 'the server stalled; try again, or raise the idle timeout for slow local models'}), retryable: true, reason: 'stream stalled'}
  }
  if (has('UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT', 'APIConnectionTimeoutError', 'ETIMEDOUT', 'HeadersTimeoutError', 'ConnectTimeoutError')) {
    return {error: new ModelError(`no answer from ${url} in time`, {code: 'timeout', hint: 'the server is slow or unreachable; a local model may still be loading'}), retryable: true, reason: 'timeout'}
  }
  if (has('ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'ECONNABORTED', 'SocketError') || /terminated|other side closed|socket hang up/i.test(String(e?.message))) {
    return {error: new ModelError(`the connection to ${url} was reset`, {code: 'connection_reset', hint: 'the server dropped the connection; try again'}), retryable: true, reason: 'connection reset'}
  }
  if (has('APIConnectionError')) {
    return {error: new ModelError(`cannot connect to ${url}`, {code: 'connection', hint: 'check base_url and your network connection', cause: err}), retryable: true, reason: 'connection error'}
  }
  return {error: new ModelError(oneLine(`request to ${url} failed: ${e?.message ?? String(err)}`), {code: 'model', cause: err}), retryable: false, reason: 'error'}
}
