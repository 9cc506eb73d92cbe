import {ContextLengthError, InterruptedError, ModelError} from '../errors/index.js'
import {retryAfterMs} from './retry.js'

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
}

const CONTEXT_RE = /context[_ ]length|maximum context|context (size|window)|exceed_context|too many tokens|prompt (is )?too long|reduce the length|input is too long/i

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

function serverMessage(err: any): string {
  const body = err?.error
  if (body && typeof body === 'object' && typeof body.message === 'string') return body.message
  if (typeof body === 'string') return body
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
    if (CONTEXT_RE.test(message) || body.code === 'context_length_exceeded') return {error: new ContextLengthError(oneLine(`context length exceeded: ${message}`)), retryable: false, reason: 'context length'}
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
    const wait = retryAfterMs(e.headers)
    if (status === 401 || status === 403) {
      const hint = ctx.apiKeySource
        ? `the key came from ${ctx.apiKeySource}; check that it holds a valid key for this server`
        : ctx.hasKey
          ? 'check the API key configured for this profile'
          : 'no API key was sent; set PARECODE_API_KEY, or name the variable holding it in the profile (api_key_env)'
      return {error: new ModelError(oneLine(`${url} rejected the request (${status}${msg ? `: ${msg}` : ''})`), {code: 'auth', status, hint}), retryable: false, reason: 'auth'}
    }
    if ((status === 400 || status === 413 || status === 422) && (CONTEXT_RE.test(msg) || e?.error?.code === 'context_length_exceeded')) {
      return {error: new ContextLengthError(oneLine(`context length exceeded: ${msg}`), err), retryable: false, reason: 'context length'}
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
