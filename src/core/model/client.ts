import {ContextLengthError, InterruptedError, ModelError} from '../errors/index.js'
import {LIMITS, timerMs} from '../text/limits.js'
import {adaptToRejection, applyLearned} from './adapt.js'
import {StreamAssembler} from './assemble.js'
import {approxTokens, countPromptTokens, fitMaxTokens} from './budget.js'
import {cachedTokens} from './cost.js'
import {classifyFailure, type Failure, StreamCutError} from './map-error.js'
import {checkLocalContext, isLocalEndpoint, type LocalContextInfo} from './ollama.js'
import {asksForReasoning, hasToolCallReasoning, hasToolCallTurn, requiresReasoning, wireMessages} from './reasoning.js'
import {readResponse} from './read-response.js'
import {backoffMs, defaultSleep, type Sleep, sleepAbortable} from './retry.js'
import {silentTruncation, truncationWarning} from './truncation.js'
import type {ChatRequest, ChatResponse, ModelClient, StreamEvent} from './types.js'

/** Ollama's usual port: a server there may cut prompts silently. */
const OLLAMA_PORT = /:11434(\/|$)/

/**
 * The chat client for any OpenAI-compatible endpoint, on the `openai` package with an undici Agent
 * (connect / headers / idle timeouts, keep-alive). Streams by default; assembles tool calls across
 * provider quirks (see assemble.ts); retries 429, 5xx, resets, stalls and cut-off streams with backoff.
 *
 * A stream that ends before a finish_reason or [DONE] is never returned: its partial tool calls could
 * run half an edit. It is retried like a reset and, when retries run out, raised as ModelError code
 * 'stream_cut'. So a returned ChatResponse is always a whole answer.
 *
 * Every response is read under the byte caps of text/limits.ts: past one, reading stops, the HTTP request
 * is aborted at once (nothing more is buffered) and the attempt fails with ModelError 'response_too_large'.
 */

/** The caps on one response (text/limits.ts has the defaults and why). */
export interface ResponseLimits {
  responseTextBytes: number
  responseWireBytes: number
  sseEventBytes: number
  toolCallsPerResponse: number
  toolArgumentBytes: number
}

export interface ModelClientOptions {
  /** OpenAI-compatible API root, e.g. http://127.0.0.1:11434/v1 */
  baseUrl: string
  apiKey?: string
  /** Where the key came from (e.g. "$OPENROUTER_API_KEY"), named in the 401/403 hint. */
  apiKeySource?: string
  /** The endpoint was named by a repository: connect only to a loopback address, checked on the resolved address. */
  keyOnlyToLoopback?: boolean
  model: string
  /** The profile's context window in tokens; max_tokens is fitted into it. */
  contextWindow?: number
  /** Default answer cap (a request's maxTokens wins). */
  maxTokens?: number
  /** Retries after the first attempt (default 3). */
  retries?: number
  timeouts?: Partial<{connectMs: number; headersMs: number; idleMs: number}>
  /** Send assistant reasoning back in history (providers that require it); otherwise it is stripped. */
  keepReasoning?: boolean
  /** Token counter for prompts and for usage when the provider reports none (default: chars/4). */
  countTokens?: (text: string) => number
  sleep?: Sleep
  random?: () => number
  /** Ask an Ollama server for the context it really uses: 'auto' (default) only for local endpoints. */
  localCheck?: boolean | 'auto'
  /** Stream answers (default true); false sends plain requests (servers that cannot stream tool calls). */
  stream?: boolean
  /** Extra headers on every request (e.g. OpenRouter's HTTP-Referer). */
  headers?: Record<string, string>
  /** Lower (or raise) the response caps; tests use small ones. */
  limits?: Partial<ResponseLimits>
}

/** A ModelClient that can also report the local server's context and release its connections. */
export interface PareModelClient extends ModelClient {
  /** The Ollama context check (memoized); undefined when the endpoint is not Ollama or not checked. */
  checkLocalContext(signal?: AbortSignal): Promise<LocalContextInfo | undefined>
  /** Close kept-alive connections. */
  close(): Promise<void>
  /** The context window requests are fitted to now: the profile's, narrowed by what the server showed or said. */
  workingWindow(): number | undefined
}

export const DEFAULT_TIMEOUTS = {connectMs: 10_000, headersMs: 300_000, idleMs: 120_000}
/** A Retry-After longer than this is not waited out: we give up and say so. */
const MAX_RETRY_AFTER_MS = 120_000

interface Transport {
  sdk: any
  close(): Promise<void>
}


/** The promise's value, or InterruptedError as soon as the signal aborts. */
function untilAborted<T>(p: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return p
  if (signal.aborted) return Promise.reject(new InterruptedError())
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new InterruptedError())
    signal.addEventListener('abort', onAbort, {once: true})
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort))
  })
}

const isLoopbackAddress = (a: string) => /^127\./.test(a) || a === '::1' || /^::ffff:127\./i.test(a)

/**
 * A DNS lookup for net.connect that refuses any address that is not this machine: a key sent to an endpoint a
 * repository named may go to localhost, but "localhost" is decided by what the name resolves to when connecting.
 */
export async function loopbackLookup(): Promise<(host: string, o: {all?: boolean}, cb: (...a: unknown[]) => void) => void> {
  const dns = await import('node:dns')
  return (host, o, cb) => {
    dns.lookup(host, {...o, all: true}, (err, list) => {
      if (err) return cb(err)
      const addrs = list as {address: string; family: number}[]
      const bad = addrs.find((a) => !isLoopbackAddress(a.address))
      if (bad || !addrs.length) return cb(Object.assign(new Error(`${host} resolves to ${bad?.address ?? 'nothing'}, not this machine: not sending your key there`), {code: 'ENOTLOOPBACK'}))
      if (o.all) cb(null, addrs)
      else cb(null, addrs[0]!.address, addrs[0]!.family)
    })
  }
}

/** Create a client; nothing heavy is loaded until the first request. */
export function createModelClient(opts: ModelClientOptions): PareModelClient {
  const baseUrl = opts.baseUrl.replace(/\/+$/, '')
  // A timer past 2^31-1 ms fires at once in Node (and in undici): clamp whatever the caller passed.
  const given = {...DEFAULT_TIMEOUTS, ...opts.timeouts}
  const timeouts = {connectMs: timerMs(given.connectMs), headersMs: timerMs(given.headersMs), idleMs: timerMs(given.idleMs)}
  const limits: ResponseLimits = {
    responseTextBytes: LIMITS.responseTextBytes,
    responseWireBytes: LIMITS.responseWireBytes,
    sseEventBytes: LIMITS.sseEventBytes,
    toolCallsPerResponse: LIMITS.toolCallsPerResponse,
    toolArgumentBytes: LIMITS.toolArgumentBytes,
    ...opts.limits,
  }
  const retries = Math.max(0, opts.retries ?? 3)
  const count = opts.countTokens ?? approxTokens
  const sleep = opts.sleep ?? defaultSleep
  const random = opts.random ?? Math.random
  const streaming = opts.stream !== false
  let transport: Promise<Transport> | undefined
  let local: Promise<LocalContextInfo | undefined> | undefined
  // Ollama's default is a guess until the model is loaded (the server may set OLLAMA_CONTEXT_LENGTH):
  // the first answer loads it, then one more check reads what it really runs with.
  let rechecked = false
  let warned = false
  const learned = new Set<string>()
  // What the server showed of itself during the run: a smaller window than the profile's (by an error that
  // named it, or by truncating silently), how much more its tokenizer counts than ours, and that it wants reasoning back.
  let serverWindow: number | undefined
  let calibration = 1
  let truncationWarned = false
  /** A response carried Ollama's markers: its prompt counts may reveal a silent cut. */
  let servedByOllama = false
  let learnedReasoning = false
  // The last request a server refused as too long: the identical request is never sent again.
  let overflowed: {body: string; error: ContextLengthError} | undefined
  const passesReasoningBack = (model?: string) => learnedReasoning || requiresReasoning(baseUrl, model ?? opts.model)

  const getTransport = () =>
    (transport ??= (async () => {
      const [{default: OpenAI}, undici] = await Promise.all([import('openai'), import('undici')])
      const agent = new undici.Agent({
        connect: {timeout: timeouts.connectMs, ...(opts.keyOnlyToLoopback && opts.apiKey ? {lookup: await loopbackLookup()} : {})},
        headersTimeout: timeouts.headersMs,
        bodyTimeout: timeouts.idleMs,
        keepAliveTimeout: 30_000,
      })
      const sdk = new OpenAI({
        // Explicit values so the SDK reads nothing from the environment.
        apiKey: opts.apiKey || 'none',
        organization: null,
        project: null,
        baseURL: baseUrl,
        maxRetries: 0,
        timeout: timerMs(timeouts.connectMs + timeouts.headersMs + 1000),
        logLevel: 'off',
        fetch: undici.fetch as any,
        fetchOptions: {dispatcher: agent} as any,
        defaultHeaders: {...(opts.apiKey ? {} : {Authorization: null}), ...opts.headers},
      })
      // Keep the whole error body: older vLLM and others put the message at the top level, which the SDK drops.
      const open = sdk as any
      const make = open.makeStatusError.bind(sdk)
      open.makeStatusError = (status: number, body: unknown, message: unknown, headers: unknown) => Object.assign(make(status, body, message, headers), {body: body ?? message})
      return {sdk, close: () => agent.close()}
    })())

  const localCheck = (signal?: AbortSignal) => {
    const wanted = opts.localCheck ?? 'auto'
    if (wanted === false || (wanted === 'auto' && !isLocalEndpoint(baseUrl))) return Promise.resolve(undefined)
    // Not tied to the first caller's signal: an aborted first request must not lose the check for the next ones.
    local ??= checkLocalContext({baseUrl, model: opts.model, contextWindow: opts.contextWindow}).catch(() => undefined)
    return untilAborted(local, signal)
  }

  async function listModels(signal?: AbortSignal): Promise<string[]> {
    const {sdk} = await getTransport()
    try {
      const page = await sdk.models.list({signal})
      return (page.data as Array<{id: string}>).map((m) => m.id).sort()
    } catch (err) {
      // No model list in the hint of a failed model listing.
      throw (await classifyFailure(err, {...failureContext(), listModels: async () => []}, signal)).error
    }
  }

  const failureContext = (extra: {promptTokens?: number; window?: number} = {}) => ({
    ...extra,
    url: baseUrl,
    model: opts.model,
    apiKeySource: opts.apiKeySource,
    hasKey: Boolean(opts.apiKey),
    idleMs: timeouts.idleMs,
    listModels: () => listModels(AbortSignal.timeout(3000)),
  })

  function giveUp(f: Failure, attempts: number, extra = ''): Error {
    const e = f.error
    // A context-length error stays one: the budget pass above reacts to its class.
    if (!(e instanceof ModelError) || e instanceof ContextLengthError || (attempts <= 1 && !extra)) return e
    const note = extra || ` (gave up after ${attempts} attempts)`
    return new ModelError(e.message + note, {code: e.code, hint: e.hint, status: e.status, cause: e.cause})
  }

  async function attempt(body: Record<string, unknown>, req: ChatRequest, onEvent: (e: StreamEvent) => void, promptTokens: number): Promise<ChatResponse> {
    const {sdk} = await getTransport()
    const asm = new StreamAssembler(req.tools, onEvent, limits)
    // Our own abort, so a response over a cap is cut off at once instead of being drained for keep-alive.
    const stop = new AbortController()
    const signal = req.signal ? AbortSignal.any([req.signal, stop.signal]) : stop.signal
    try {
      return await read(await sdk.chat.completions.create(body, {signal}).asResponse(), asm, body, req, promptTokens)
    } catch (err) {
      stop.abort()
      throw err
    }
  }

  async function read(response: Response, asm: StreamAssembler, body: Record<string, unknown>, req: ChatRequest, promptTokens: number): Promise<ChatResponse> {
    await readResponse(response, asm, {streaming, limits})
    if (req.signal?.aborted) throw new InterruptedError()
    const r = asm.result()
    if (!r.complete) throw new StreamCutError()
    if (r.ollama) servedByOllama = true
    const reported = typeof r.usage?.prompt_tokens === 'number'
    const output = () => count(r.content) + count(r.reasoning) + r.toolCalls.reduce((n, c) => n + count(c.function.name) + count(c.function.arguments), 0)
    return {
      content: r.content,
      toolCalls: r.toolCalls,
      badToolCalls: r.badToolCalls,
      ...(r.reasoning ? {reasoning: r.reasoning} : {}),
      finishReason: r.finishReason,
      usage: reported ? {input: r.usage!.prompt_tokens!, output: r.usage!.completion_tokens ?? output(), reported: true, ...cachedTokens(r.usage)} : {input: promptTokens, output: output(), reported: false},
      model: r.model ?? String(body.model),
    }
  }

  let lastKnown: number | undefined
  /** The window to fit requests to: the profile's, narrowed by what Ollama runs and by what the server showed or said. */
  const workingWindow = (known = lastKnown): number | undefined => {
    const all = [opts.contextWindow, known, serverWindow].filter((w): w is number => typeof w === 'number' && w > 0)
    return all.length ? Math.min(...all) : undefined
  }

  /** Remember what a context-length error said of the server: its window, and how its count compares with ours. */
  function learnContext(e: ContextLengthError, promptTokens: number): void {
    const {window, serverPrompt} = e.info
    if (window && (!serverWindow || window < serverWindow)) serverWindow = window
    if (serverPrompt && promptTokens > 0 && serverPrompt > promptTokens) calibration = Math.max(calibration, Math.min(4, serverPrompt / promptTokens))
  }

  async function chat(req: ChatRequest, onEvent: (e: StreamEvent) => void = () => {}): Promise<ChatResponse> {
    const signal = req.signal
    if (signal?.aborted) throw new InterruptedError()
    const info = await localCheck(signal)
    if (signal?.aborted) throw new InterruptedError()
    const guess = info?.source === 'default'
    if (info?.warning && !warned && (!guess || rechecked)) {
      warned = true
      onEvent({type: 'warning', message: info.warning})
    }
    // Only a context we know (loaded, or num_ctx in the Modelfile) narrows the window; a default is only warned about.
    const known = info && !guess ? info.effectiveContext : undefined
    lastKnown = known
    const window = workingWindow(known)
    const model = req.model ?? opts.model
    const reasoning = () => (opts.keepReasoning === true ? 'all' : passesReasoningBack(model) ? 'tool_calls' : 'none')
    let messages = wireMessages(req.messages, reasoning())
    let promptTokens = countPromptTokens(messages, req.tools, count)
    let maxTokens: number | undefined
    try {
      maxTokens = fitMaxTokens({window, promptTokens: Math.ceil(promptTokens * calibration), wanted: req.maxTokens ?? opts.maxTokens})
    } catch (err) {
      if (!(err instanceof ContextLengthError)) throw err
      throw new ContextLengthError(err.message, undefined, {...(window && window === serverWindow ? {window} : {}), assumedWindow: opts.contextWindow ?? window, sentPrompt: promptTokens})
    }
    const body: Record<string, unknown> = {
      model,
      messages,
      ...(req.tools?.length ? {tools: req.tools} : {}),
      ...(maxTokens !== undefined ? {max_tokens: maxTokens} : {}),
      ...(req.temperature !== undefined ? {temperature: req.temperature} : {}),
      ...(req.json ? {response_format: {type: 'json_object'}} : {}),
      ...(streaming ? {stream: true, stream_options: {include_usage: true}} : {}),
    }
    applyLearned(body, learned)
    if (overflowed && overflowed.body === JSON.stringify(body)) throw overflowed.error
    for (let n = 1; ; n++) {
      try {
        const response = await attempt(body, req, onEvent, promptTokens)
        if (guess && !rechecked) {
          rechecked = true
          local = undefined
        }
        checkTruncation(response, promptTokens, window, info, onEvent)
        return response
      } catch (err) {
        const f = await classifyFailure(err, failureContext({promptTokens, window: opts.contextWindow ?? window}), signal)
        if (f.error instanceof ContextLengthError) {
          learnContext(f.error, promptTokens)
          overflowed = {body: JSON.stringify(body), error: f.error}
        }
        if (f.error instanceof ModelError && f.error.code === 'bad_request' && asksForReasoning(f.error.message) && reasoning() === 'none' && hasToolCallTurn(req.messages)) {
          learnedReasoning = true
          // The caller's messages carry it: resend them with it. Otherwise the caller renders its history again.
          if (hasToolCallReasoning(req.messages)) {
            messages = wireMessages(req.messages, reasoning())
            promptTokens = countPromptTokens(messages, req.tools, count)
            body.messages = messages
            n--
            continue
          }
          throw new ModelError(f.error.message, {code: 'reasoning_required', status: 400, hint: 'the server wants the reasoning of earlier tool-call turns sent back; it is sent from now on'})
        }
        // A 400 naming a field this server wants otherwise: adapt and resend (each adaptation once, not an attempt).
        if (f.error instanceof ModelError && f.error.code === 'bad_request' && adaptToRejection(body, f.error.message, learned)) {
          n--
          continue
        }
        if (!f.retryable || n > retries) throw giveUp(f, n)
        if (f.retryAfterMs !== undefined && f.retryAfterMs > MAX_RETRY_AFTER_MS) {
          throw giveUp(f, n, ` (the server asks to wait ${Math.ceil(f.retryAfterMs / 1000)}s)`)
        }
        const delayMs = f.retryAfterMs ?? backoffMs(n, random)
        onEvent({type: 'retry', attempt: n + 1, delayMs, reason: f.reason})
        await sleepAbortable(sleep, delayMs, signal)
      }
    }
  }

  /**
   * A server that silently cut the prompt (Ollama, beyond its num_ctx) answers as if nothing happened; its prompt
   * count gives it away. The answer is not used: the window is lowered for the rest of the run, with a warning
   * once, and a ContextLengthError lets the budget pass shrink the request to fit and try again.
   */
  function checkTruncation(response: ChatResponse, promptTokens: number, window: number | undefined, info: LocalContextInfo | undefined, onEvent: (e: StreamEvent) => void): void {
    // Only a server known to cut silently: elsewhere a low count is a cache or a different tokenizer, and throwing
    // away a good answer would be far worse than missing a cut.
    const ollama = Boolean(info) || servedByOllama || OLLAMA_PORT.test(baseUrl)
    if (!ollama) return
    const known = info && info.source !== 'default' ? info.effectiveContext : undefined
    if (!response.usage.reported || !silentTruncation(promptTokens, response.usage.input, known)) return
    const used = response.usage.input
    if (!serverWindow || used < serverWindow) serverWindow = used
    if (!truncationWarned) {
      truncationWarned = true
      onEvent({type: 'warning', message: truncationWarning({url: baseUrl, used, sent: promptTokens, window, ollama})})
    }
    throw new ContextLengthError(`${baseUrl} read only ${used} of the ~${promptTokens} prompt tokens sent and dropped the rest without an error`, undefined, {
      window: used,
      assumedWindow: opts.contextWindow ?? window,
      sentPrompt: promptTokens,
      truncated: true,
    })
  }

  return {
    model: opts.model,
    chat,
    listModels,
    checkLocalContext: (signal) => localCheck(signal),
    passesReasoningBack,
    workingWindow: () => workingWindow(),
    close: async () => {
      if (transport) await (await transport).close()
    },
  }
}
