import type {McpServerSpec} from './config.js'
import type {McpCallResult} from './content.js'

/** A tool as the server lists it. */
export interface McpToolDef {
  name: string
  description?: string
  inputSchema?: Record<string, unknown>
}

/** Why a call did not return a result: timeout (timeout_ms), stopped (the server went away), aborted (the run was), error. */
export class McpCallError extends Error {
  constructor(
    readonly kind: 'timeout' | 'stopped' | 'aborted' | 'error',
    message: string,
  ) {
    super(message)
  }
}

export interface ConnectionOptions {
  /** Where a stdio server runs: the repository root. */
  cwd: string
  /** The user's environment, read only for the names in `env_pass`. */
  env: NodeJS.ProcessEnv
}

// The last bytes a stdio server wrote to stderr: the reason it gives when it fails to start or dies.
const STDERR_TAIL = 2048
const MAX_LIST_PAGES = 20

type SdkClient = import('@modelcontextprotocol/sdk/client/index.js').Client

/**
 * One MCP server: started on the first `start()` (spawn or HTTP connect, initialize, tools/list, all within
 * start_timeout_ms), then serving calls until it stops or is closed. Never restarted within a run: a server that died
 * once is likely to again, and a call that fails at once is cheaper than one that waits for a fresh start each time.
 */
export class McpConnection {
  state: 'idle' | 'starting' | 'ready' | 'failed' | 'stopped' | 'closed' = 'idle'
  /** Why it failed to start or stopped, one line. */
  reason?: string
  /** Called once when a started server goes away on its own. */
  onStopped?: (reason: string) => void
  private client?: SdkClient
  private http?: {terminateSession(): Promise<void>}
  private stdio?: {readonly pid: number | null}
  private exited = false
  private starting?: Promise<McpToolDef[]>
  private stderr = ''

  constructor(
    readonly spec: McpServerSpec,
    private readonly opts: ConnectionOptions,
  ) {}

  /** Start the server (once) and list its tools, the allowlist applied; rejects with a one-line reason. */
  start(): Promise<McpToolDef[]> {
    this.starting ??= this.doStart()
    return this.starting
  }

  private async doStart(): Promise<McpToolDef[]> {
    this.state = 'starting'
    const ms = this.spec.startTimeoutMs
    let timer: NodeJS.Timeout | undefined
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`did not answer within ${ms / 1000} s (start_timeout_ms)`)), ms)
    })
    try {
      const tools = await Promise.race([this.connectAndList(ms), deadline])
      this.state = 'ready'
      return tools
    } catch (err) {
      this.reason = this.explain(err)
      this.state = 'failed'
      await this.shutdown()
      throw new Error(this.reason)
    } finally {
      clearTimeout(timer)
    }
  }

  private async connectAndList(timeout: number): Promise<McpToolDef[]> {
    const [{Client}, transport] = await Promise.all([import('@modelcontextprotocol/sdk/client/index.js'), this.transport()])
    // No sampling, elicitation or roots: the server gets nothing back but answers to its tool calls.
    const client = new Client({name: 'git-pare', version: '1'}, {capabilities: {}})
    this.client = client
    client.onclose = () => {
      this.exited = true
      if (this.state === 'closed' || this.state === 'failed') return
      const was = this.state
      this.state = 'stopped'
      this.reason = `stopped${this.lastStderr() ? `: ${this.lastStderr()}` : ''}`
      if (was === 'ready') this.onStopped?.(this.reason)
    }
    await client.connect(transport, {timeout})
    const tools: McpToolDef[] = []
    let cursor: string | undefined
    for (let page = 0; page < MAX_LIST_PAGES; page++) {
      const res = await client.listTools(cursor ? {cursor} : undefined, {timeout})
      tools.push(...(res.tools as McpToolDef[]))
      cursor = res.nextCursor
      if (!cursor) break
    }
    const allow = this.spec.tools
    return allow ? tools.filter((t) => allow.includes(t.name)) : tools
  }

  private async transport(): Promise<import('@modelcontextprotocol/sdk/shared/transport.js').Transport> {
    const s = this.spec
    if (s.transport === 'http') {
      const {StreamableHTTPClientTransport} = await import('@modelcontextprotocol/sdk/client/streamableHttp.js')
      const t = new StreamableHTTPClientTransport(new URL(s.url!))
      this.http = t
      return t
    }
    const {StdioClientTransport} = await import('@modelcontextprotocol/sdk/client/stdio.js')
    // The SDK starts from a short list of safe variables (HOME, PATH, …); env_pass adds the ones the user named.
    const passed = Object.fromEntries(s.envPass.flatMap((n) => (this.opts.env[n] !== undefined ? [[n, this.opts.env[n]!]] : [])))
    const t = new StdioClientTransport({command: s.command!, args: s.args, env: {...passed, ...s.env}, cwd: this.opts.cwd, stderr: 'pipe'})
    this.stdio = t
    t.stderr?.on('data', (d: Buffer) => {
      this.stderr = (this.stderr + d.toString('utf8')).slice(-STDERR_TAIL)
    })
    return t
  }

  private lastStderr(): string {
    const lines = this.stderr.split('\n').map((l) => l.trim()).filter(Boolean)
    return (lines.at(-1) ?? '').slice(0, 200)
  }

  private explain(err: unknown): string {
    const e = err as {code?: string; message?: string}
    let why = e.code === 'ENOENT' ? `command not found: ${this.spec.command}` : (e.message ?? String(err)).split('\n')[0]!
    why = why.replace(/^MCP error -?\d+: /, '')
    if (/^Connection closed$/i.test(why)) why = 'it exited before answering'
    const tail = this.lastStderr()
    return tail && !why.includes(tail) ? `${why} (${tail})` : why
  }

  /** Call one tool; rejects with McpCallError. */
  async call(tool: string, args: Record<string, unknown>, signal?: AbortSignal): Promise<McpCallResult> {
    if (this.state !== 'ready' || !this.client) throw new McpCallError('stopped', this.reason ?? 'not running')
    const ms = this.spec.timeoutMs
    try {
      return (await this.client.callTool({name: tool, arguments: args}, undefined, {timeout: ms, ...(signal ? {signal} : {})})) as McpCallResult
    } catch (err) {
      if (signal?.aborted) throw new McpCallError('aborted', 'interrupted')
      const e = err as {code?: number; message?: string}
      // -32001: the SDK's request timeout (it tells the server the call is cancelled); -32000: the connection closed.
      if (e.code === -32001) throw new McpCallError('timeout', `no answer within ${ms / 1000} s (timeout_ms)`)
      if (e.code === -32000 || (this.state as string) === 'stopped') throw new McpCallError('stopped', this.reason ?? 'the server stopped during the call')
      throw new McpCallError('error', (e.message ?? String(err)).split('\n')[0]!.replace(/^MCP error -?\d+: /, ''))
    }
  }

  /** Stop the server (a stdio child is ended, an HTTP session left). */
  async close(): Promise<void> {
    const was = this.state
    this.state = 'closed'
    if (was !== 'ready' && was !== 'starting') return
    // Leave the HTTP session (a DELETE) so the server can free it; a server that does not answer is not waited for.
    if (this.http) await Promise.race([this.http.terminateSession().catch(() => undefined), new Promise((r) => setTimeout(r, 1000).unref())])
    await this.shutdown()
  }

  private async shutdown(): Promise<void> {
    const closing = this.client?.close().catch(() => undefined)
    // The SDK ends the server's stdin and waits 2 s before SIGTERM; most servers ignore stdin's end, and every
    // command would then take 2 s longer to exit. A short grace period, then SIGTERM (skipped once it exited).
    const pid = this.stdio?.pid
    const timer = pid ? setTimeout(() => this.exited || kill(pid), 300) : undefined
    await closing
    clearTimeout(timer)
  }
}

function kill(pid: number): void {
  try {
    process.kill(pid, 'SIGTERM')
  } catch {
    // already gone
  }
}
