import type {Readable, Writable} from 'node:stream'
import {McpServer} from '@modelcontextprotocol/sdk/server/mcp.js'
import {StdioServerTransport} from '@modelcontextprotocol/sdk/server/stdio.js'
import {ListToolsRequestSchema, type CallToolResult, type ServerNotification, type ServerRequest} from '@modelcontextprotocol/sdk/types.js'
import type {RequestHandlerExtra} from '@modelcontextprotocol/sdk/shared/protocol.js'
import {callCli, type CliCommand} from './cli-call.js'
import {toToolResult} from './result.js'
import {statusFromLog} from './status.js'
import {leanSchema, TOOLS, type ServerTool} from './tools.js'

export interface ServeOptions {
  cli: CliCommand
  version: string
  /** The protocol's streams (default: the process's stdin and stdout; nothing else may write to that stdout). */
  stdin?: Readable
  stdout?: Writable
  /** Diagnostics (stderr). */
  log?: (line: string) => void
  /** A progress notification at least this often while an acting tool runs (default 10 s). */
  heartbeatMs?: number
  /** See CallOptions.graceMs. */
  graceMs?: number
}

export interface RunningServer {
  /** Settles when the client goes away (stdin ends) or `stop` finished. */
  closed: Promise<void>
  /** Interrupt running calls (each keeps its checkpoint), wait for them, then close. */
  stop(): Promise<void>
}

type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>

/** Serve git pare's operations as MCP tools over stdio until the client disconnects. */
export async function serveMcp(opts: ServeOptions): Promise<RunningServer> {
  const stdin = opts.stdin ?? process.stdin
  const stdout = opts.stdout ?? process.stdout
  const log = opts.log ?? (() => undefined)
  const server = new McpServer({name: 'git-pare', version: opts.version})
  const running = new Set<{ac: AbortController; done: Promise<unknown>}>()

  const handle = async (tool: ServerTool, args: Record<string, unknown>, extra: Extra): Promise<CallToolResult> => {
    const ac = new AbortController()
    const onAbort = () => ac.abort()
    extra.signal.addEventListener('abort', onAbort, {once: true})
    const progress = progressSender(extra, tool.readOnly ? 0 : (opts.heartbeatMs ?? 10_000), tool.name)
    const done = callCli(opts.cli, tool.argv(args), {signal: ac.signal, onProgress: progress.send, graceMs: opts.graceMs})
    const entry = {ac, done}
    running.add(entry)
    try {
      const out = await done
      if (out.interrupted) log(`${tool.name}: cancelled (exit ${out.code})`)
      else if (!out.envelope) log(`${tool.name}: git pare exited ${out.code} without a result\n${out.stderr.trimEnd()}`)
      return toToolResult(tool.name, out.envelope && tool.name === 'status' ? {...out, envelope: statusFromLog(out.envelope)} : out)
    } finally {
      progress.stop()
      extra.signal.removeEventListener('abort', onAbort)
      running.delete(entry)
    }
  }

  for (const tool of TOOLS) {
    server.registerTool(tool.name, {description: tool.description, inputSchema: tool.input, annotations: tool.readOnly ? {readOnlyHint: true} : undefined}, (args: Record<string, unknown>, extra: Extra) => handle(tool, args, extra))
  }
  // The SDK's own listing adds `$schema`, `execution` and `additionalProperties` to every tool: the caller's model
  // pays for each byte on every request, so the listing is ours (validation stays the SDK's, against the same zod).
  server.server.setRequestHandler(ListToolsRequestSchema, () => ({
    tools: TOOLS.map((t) => ({name: t.name, description: t.description, inputSchema: leanSchema(t.input) as {type: 'object'}, ...(t.readOnly ? {annotations: {readOnlyHint: true}} : {})})),
  }))

  let settle!: () => void
  const closed = new Promise<void>((r) => (settle = r))
  let stopping: Promise<void> | undefined
  const stop = () =>
    (stopping ??= (async () => {
      for (const r of running) r.ac.abort()
      await Promise.allSettled([...running].map((r) => r.done))
      await server.close().catch(() => undefined)
      settle()
    })())
  server.server.onclose = () => void stop()
  server.server.onerror = (err) => log(`mcp: ${err.message}`)
  // The transport does not watch for the client going away: stdin ending (or stdout breaking) is that.
  stdin.once('end', () => void stop())
  stdout.on('error', () => void stop())
  await server.connect(new StdioServerTransport(stdin, stdout))
  return {closed, stop}
}

/** MCP progress notifications for one call, when the request asked for them (a progressToken); a heartbeat in between. */
function progressSender(extra: Extra, heartbeatMs: number, name: string): {send: (message: string) => void; stop: () => void} {
  const token = extra._meta?.progressToken
  if (token === undefined) return {send: () => undefined, stop: () => undefined}
  const started = Date.now()
  let n = 0
  let last = started
  const send = (message: string) => {
    last = Date.now()
    extra.sendNotification({method: 'notifications/progress', params: {progressToken: token, progress: ++n, message}}).catch(() => undefined)
  }
  const timer = heartbeatMs > 0 ? setInterval(() => Date.now() - last >= heartbeatMs && send(`${name}: running (${Math.round((Date.now() - started) / 1000)}s)`), heartbeatMs) : undefined
  timer?.unref()
  if (heartbeatMs > 0) send(`${name}: started`)
  return {send, stop: () => timer && clearInterval(timer)}
}
