import {createServer, type IncomingMessage, type ServerResponse} from 'node:http'
import type {AddressInfo, Socket} from 'node:net'
import {streamEndless} from './scripted-endless.js'
import {completionBody, streamEvents} from './scripted-render.js'
import {turn, type Policy, type RecordedRequest, type Turn} from './scripted-turns.js'

export {contextError, turn} from './scripted-turns.js'
export type {ContextWording, Policy, RecordedRequest, ScriptedCall, Turn} from './scripted-turns.js'

/**
 * A real OpenAI-compatible HTTP server on 127.0.0.1 that answers from a script.
 * Used by tests (through test/support/model-server.ts) and by `git pare demo` as the embedded model.
 *
 * Speaks POST /v1/chat/completions (SSE or JSON), GET /v1/models and, when `ollama` is set,
 * Ollama's POST /api/show, GET /api/tags, GET /api/ps and GET /api/version.
 * Every request is recorded so tests can assert on exactly what was sent.
 *
 *   const server = await startScriptedServer([
 *     turn.tools([{name: 'read_file', args: {path: 'a.ts'}}]),                  // 1st request: a tool call
 *     {...turn.tools([{name: 'edit_file', args: {...}}]), fragment: 3, ids: 'none'}, // 2nd: same, fragmented, no ids
 *     turn.rateLimited(1),                                                         // 3rd: 429, Retry-After 1
 *     turn.text('done'),                                                           // 4th: the answer
 *   ])
 *   // or a function: startScriptedServer((req, i) => req.body.messages.at(-1).role === 'tool' ? turn.text('ok') : turn.tools([...]))
 *   createModelClient({baseUrl: server.url, model: 'scripted-model'})
 *   server.chatRequests()[1].body.messages   // exactly what the client sent
 *   await server.close()
 */

/** A model an Ollama-pretending server knows. */
export interface OllamaModel {
  name: string
  /** model_info.<arch>.context_length: what the model supports. */
  contextLength?: number
  /** `PARAMETER num_ctx` from its Modelfile. */
  numCtx?: number
  /** Context the loaded model runs with (GET /api/ps context_length); undefined: not loaded. */
  loadedContext?: number
}

export interface ScriptedServerOptions {
  /** Ids listed by GET /v1/models (default: the Ollama model names, else ['scripted-model']). */
  models?: string[]
  /** Pretend to be Ollama (true: one model 'qwen3:8b' with a 40960 context and no num_ctx). */
  ollama?: boolean | {models: OllamaModel[]; version?: string}
  /**
   * Refuse, like DeepSeek's thinking mode, any request whose assistant tool-call messages lack `reasoning_content`:
   * a 400 in that wording, without using up a turn of the script.
   */
  requireReasoning?: 'deepseek' | 'deepseek-index' | 'kimi'
}

export interface ScriptedServer {
  /** Base URL of the OpenAI-compatible API, e.g. http://127.0.0.1:PORT/v1 */
  url: string
  port: number
  /** Every request received, in order (all paths). */
  requests: RecordedRequest[]
  /** Only the chat-completion requests. */
  chatRequests(): RecordedRequest[]
  /** Bytes written for each chat request's response so far (counted for `endless` turns; 0 for others). */
  sentBytes(): number[]
  close(): Promise<void>
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body)
  res.writeHead(status, {'content-type': typeof body === 'string' ? 'text/plain' : 'application/json', ...headers})
  res.end(text)
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = []
    req.on('data', (b: Buffer) => parts.push(b))
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')))
    req.on('error', reject)
  })
}

function resetSocket(socket: Socket | null): void {
  if (!socket) return
  if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy()
  else socket.destroy()
}

function write(res: ServerResponse, text: string | Buffer): Promise<void> {
  return new Promise((resolve) => {
    if (res.destroyed || res.writableEnded) return resolve()
    res.write(text, () => resolve())
  })
}

async function writeEvent(res: ServerResponse, text: string, byteChunk?: number): Promise<void> {
  if (!byteChunk) return write(res, text)
  const bytes = Buffer.from(text)
  for (let i = 0; i < bytes.length; i += byteChunk) {
    await write(res, bytes.subarray(i, i + byteChunk))
    await new Promise((r) => setImmediate(r))
  }
}

async function streamTurn(res: ServerResponse, t: Turn, body: any, index: number, sleep: (ms: number) => Promise<void>): Promise<void> {
  res.writeHead(200, {'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive'})
  res.flushHeaders()
  const events = streamEvents(t, body, index)
  const send = (e: object | string) => writeEvent(res, eventText(e, t.keepAlive), t.byteChunk)
  if (t.comments) await write(res, ': keep-alive\n\n')
  if (t.keepAlive) await write(res, KEEP_ALIVE[t.keepAlive])
  for (let i = 0; i <= events.length; i++) {
    if (res.destroyed) return
    if (t.resetAfter === i) return resetSocket(res.socket)
    if (t.cutAfter === i) return void res.end()
    if (t.errorMidStream && (t.errorAfter ?? 1) === i) {
      const {message, type = 'server_error', code = null} = t.errorMidStream
      await send({error: {message, type, code}})
      return void res.end()
    }
    if (t.stallMs && (t.stallAfter ?? 1) === i) await sleep(t.stallMs)
    if (i === events.length) break
    await send(events[i])
    if (t.comments) await write(res, ': OPENROUTER PROCESSING\n\n\n')
    if (t.keepAlive) await write(res, KEEP_ALIVE[t.keepAlive])
  }
  if (t.done !== false) await send('[DONE]')
  res.end()
}

// Keep-alives as servers and proxies send them between events (Turn.keepAlive).
const KEEP_ALIVE: Record<NonNullable<Turn['keepAlive']>, string> = {
  ping: ': ping\n\n:ping\n\nevent: ping\ndata: ping\n\n',
  inside_event: ': ping\n\n',
  rewrapped: 'data: : keep-alive\n\ndata: ping\n\ndata:\n\n',
}

/** One SSE event; `inside_event` splits the JSON over data lines at a top-level comma, with comments between. */
function eventText(e: object | string, keepAlive?: Turn['keepAlive']): string {
  const text = typeof e === 'string' ? e : JSON.stringify(e)
  if (keepAlive !== 'inside_event' || typeof e === 'string') return `data: ${text}\n\n`
  const at = text.indexOf(',"choices"')
  if (at < 0) return `: ping\ndata: ${text}\n: keep-alive\n\n`
  return `: ping\ndata: ${text.slice(0, at + 1)}\n: keep-alive\ndata: ${text.slice(at + 1)}\n:\n\n`
}

/** An assistant message with tool calls that came back without its reasoning (Turn-free 400, ScriptedServerOptions.requireReasoning). */
export function missingReasoning(body: any): boolean {
  const msgs = Array.isArray(body?.messages) ? body.messages : []
  return msgs.some((m: any) => m?.role === 'assistant' && Array.isArray(m.tool_calls) && m.tool_calls.length > 0 && typeof m.reasoning_content !== 'string')
}

function ollamaModels(opt: ScriptedServerOptions['ollama']): OllamaModel[] | undefined {
  if (!opt) return undefined
  return opt === true ? [{name: 'qwen3:8b', contextLength: 40_960}] : opt.models
}

const sameModel = (a: string, b: string) => a === b || a.replace(/:latest$/, '') === b.replace(/:latest$/, '')

/** Start a scripted server; see ScriptedServerOptions and Turn. */
export async function startScriptedServer(policy: Policy, opts: ScriptedServerOptions = {}): Promise<ScriptedServer> {
  const requests: RecordedRequest[] = []
  const chat: RecordedRequest[] = []
  const sent: number[] = []
  const ollama = ollamaModels(opts.ollama)
  // Scripted delays are cancelled on close, so a stalled answer does not keep the process alive.
  const timers = new Set<NodeJS.Timeout>()
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer)
        resolve()
      }, ms)
      timers.add(timer)
    })
  const modelIds = opts.models ?? ollama?.map((m) => m.name) ?? ['scripted-model']

  // Requests refused before the script was asked (requireReasoning) use up no turn.
  let refused = 0
  async function nextTurn(rec: RecordedRequest): Promise<Turn> {
    const index = chat.length - 1 - refused
    if (typeof policy === 'function') return policy(rec, index)
    const t = policy[index]
    return t ?? turn500(`scripted server: no turn left for chat request #${index + 1} (the script has ${policy.length})`)
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req)
    let body: any
    try {
      body = raw ? JSON.parse(raw) : undefined
    } catch {
      body = undefined
    }
    const headers: Record<string, string> = {}
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v
    const path = (req.url ?? '/').split('?')[0]
    const rec: RecordedRequest = {method: req.method ?? 'GET', path, headers, body, raw}
    requests.push(rec)

    if (req.method === 'POST' && /\/chat\/completions$/.test(path)) {
      chat.push(rec)
      const slot = sent.push(0) - 1
      if (opts.requireReasoning && missingReasoning(body)) {
        const refusal = turn.reasoningRequired(opts.requireReasoning)
        refused++
        return json(res, refusal.status!, refusal.body)
      }
      const t = await nextTurn(rec)
      if (t.delayMs) await sleep(t.delayMs)
      if (t.resetAfter === 0) return resetSocket(req.socket)
      if (t.status !== undefined) return json(res, t.status, t.body ?? '', t.headers)
      if (t.endless) return streamEndless(res, t, body, (n) => (sent[slot]! += n))
      if (body?.stream === true && !t.ignoreStream) return streamTurn(res, t, body, chat.length - 1, sleep)
      if (t.stallMs) await sleep(t.stallMs)
      return json(res, 200, completionBody(t, body, chat.length - 1))
    }
    if (req.method === 'GET' && /\/models$/.test(path) && path.startsWith('/v1')) {
      return json(res, 200, {object: 'list', data: modelIds.map((id) => ({id, object: 'model', created: 1_700_000_000, owned_by: 'scripted'}))})
    }
    if (ollama) {
      const find = (name: unknown) => ollama.find((m) => typeof name === 'string' && sameModel(m.name, name))
      if (req.method === 'GET' && path === '/api/tags') {
        return json(res, 200, {models: ollama.map((m) => ({name: m.name, model: m.name, size: 1, details: {format: 'gguf'}}))})
      }
      if (req.method === 'GET' && path === '/api/version') {
        return json(res, 200, {version: (typeof opts.ollama === 'object' && opts.ollama.version) || '0.12.0'})
      }
      if (req.method === 'GET' && path === '/api/ps') {
        const loaded = ollama.filter((m) => m.loadedContext)
        return json(res, 200, {models: loaded.map((m) => ({name: m.name, model: m.name, context_length: m.loadedContext}))})
      }
      if (req.method === 'POST' && path === '/api/show') {
        const m = find(body?.model ?? body?.name)
        if (!m) return json(res, 404, {error: `model '${body?.model ?? body?.name}' not found`})
        return json(res, 200, {
          parameters: m.numCtx ? `num_ctx                        ${m.numCtx}\nstop                           "<|im_end|>"` : 'stop                           "<|im_end|>"',
          details: {format: 'gguf', family: 'qwen3'},
          model_info: {'general.architecture': 'qwen3', ...(m.contextLength ? {'qwen3.context_length': m.contextLength} : {})},
          capabilities: ['completion', 'tools'],
        })
      }
    }
    return json(res, 404, '404 page not found')
  }

  const sockets = new Set<Socket>()
  const server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      if (!res.headersSent) json(res, 500, {error: {message: String(err), type: 'server_error', code: null}})
      else res.destroy()
    })
  })
  server.on('connection', (s) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port

  return {
    url: `http://127.0.0.1:${port}/v1`,
    port,
    requests,
    chatRequests: () => chat.slice(),
    sentBytes: () => sent.slice(),
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t)
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      }),
  }
}

function turn500(message: string): Turn {
  return {status: 500, body: {error: {message, type: 'server_error', code: null}}}
}
