import type {TokenCounter} from '../context/tokenizer.js'
import type {ApprovalStore} from '../trust/approvals.js'
import {unapprovedServers} from './approval.js'
import {toolSchema} from '../tools/define.js'
import type {McpServerSpec, McpSettings} from './config.js'
import {McpConnection, type McpToolDef} from './connection.js'
import {mcpMessages as say} from './messages.js'
import {wireName} from './names.js'
import {mcpTool, rawSchema, type McpTool} from './tool.js'

/** Which servers a request may offer: every enabled one (run, chat), or those a plan step names or its route allows. */
export type McpScope = {kind: 'all'} | {kind: 'step'; servers: string[]; route?: 'quick' | 'standard' | 'deep'} | {kind: 'none'}

/** One started server's tools and what their schemas cost per request. */
export interface ServerTools {
  spec: McpServerSpec
  tools: McpTool[]
  /** Tokens of the lean schemas as sent (the project's counter). */
  tokens: number
  /** Tokens the schemas would cost as the server wrote them. */
  rawTokens: number
}

/** What a request offers: the tools, and the servers left out by the schema budget. */
export interface McpOffer {
  tools: McpTool[]
  offered: {name: string; tools: number; tokens: number}[]
  leftOut: {name: string; tokens: number}[]
}

export interface McpManagerOptions {
  root: string
  env: NodeJS.ProcessEnv
  settings: McpSettings
  counter: TokenCounter
  /** Needed when the repository's config names servers (they start only once approved). */
  approvals?: ApprovalStore
  onWarning?: (message: string) => void
}

/** Servers of one runtime: each started on the first request that offers its tools, all closed by close(). */
export class McpManager {
  private readonly conns = new Map<string, McpConnection>()
  private readonly built = new Map<string, Promise<ServerTools | undefined>>()
  private readonly taken = new Set<string>()
  private readonly warned = new Set<string>()
  private blocked?: Promise<Set<string>>

  constructor(private readonly opts: McpManagerOptions) {}

  /** Configured servers, in order. */
  get servers(): McpServerSpec[] {
    return this.opts.settings.servers
  }

  private warn(message: string): void {
    if (this.warned.has(message)) return
    this.warned.add(message)
    this.opts.onWarning?.(message)
  }

  /** Repository servers not approved as they are now: never started. */
  private unapproved(): Promise<Set<string>> {
    this.blocked ??= (async () => {
      const repo = this.servers.filter((s) => s.fromRepo)
      if (!repo.length) return new Set<string>()
      if (!this.opts.approvals) return new Set(repo.map((s) => s.name))
      return new Set((await unapprovedServers(this.opts.root, repo, this.opts.approvals)).map((s) => s.name))
    })()
    return this.blocked
  }

  /** The servers a scope names, enabled and approved (warning about the others), in config order. */
  async inScope(scope: McpScope): Promise<McpServerSpec[]> {
    if (scope.kind === 'none' || !this.servers.length) return []
    if (scope.kind === 'step') {
      for (const n of scope.servers) if (!this.servers.some((s) => s.name === n)) this.warn(say.unknownInStep(n))
    }
    const wanted = this.servers.filter((s) => {
      if (scope.kind === 'all') return s.enabled
      const named = scope.servers.includes(s.name)
      if (named && !s.enabled) this.warn(say.disabledInStep(s.name))
      return s.enabled && (named || (scope.route !== undefined && s.routes.includes(scope.route)))
    })
    const blocked = await this.unapproved()
    for (const s of wanted) if (blocked.has(s.name)) this.warn(say.notApproved(s.name, s.source))
    return wanted.filter((s) => !blocked.has(s.name))
  }

  /** Start a server (once) and wrap its tools; undefined when it did not start (the user was warned). */
  serverTools(spec: McpServerSpec): Promise<ServerTools | undefined> {
    let p = this.built.get(spec.name)
    if (!p) {
      p = this.build(spec)
      this.built.set(spec.name, p)
    }
    return p
  }

  private async build(spec: McpServerSpec): Promise<ServerTools | undefined> {
    const conn = new McpConnection(spec, {cwd: this.opts.root, env: this.opts.env})
    this.conns.set(spec.name, conn)
    conn.onStopped = (why) => this.warn(say.stopped(spec.name, why))
    let defs: McpToolDef[]
    try {
      defs = await conn.start()
    } catch (err) {
      this.warn(say.didNotStart(spec.name, (err as Error).message))
      return undefined
    }
    const missing = spec.tools?.filter((t) => !defs.some((d) => d.name === t)) ?? []
    if (missing.length) this.warn(say.missingTools(spec.name, missing))
    const tools = defs.map((d) => mcpTool(conn, d, wireName(spec.name, d.name, this.taken), (m) => this.warn(m)))
    const count = this.opts.counter
    return {
      spec,
      tools,
      tokens: count.countTools(tools.map((t) => toolSchema(t))),
      rawTokens: count.countTools(defs.map((d, i) => rawSchema(d, tools[i]!.name))),
    }
  }

  /**
   * The MCP tools a request offers: the servers in scope start (in parallel), and are taken in config order while
   * their schemas fit the budget; the user is told which were left out.
   */
  async toolsFor(scope: McpScope): Promise<McpOffer> {
    const specs = await this.inScope(scope)
    const started = (await Promise.all(specs.map((s) => this.serverTools(s)))).filter((s): s is ServerTools => Boolean(s))
    const budget = this.opts.settings.schemaBudget
    const offer: McpOffer = {tools: [], offered: [], leftOut: []}
    let used = 0
    for (const s of started) {
      if (!s.tools.length) continue
      if (used + s.tokens > budget) {
        offer.leftOut.push({name: s.spec.name, tokens: s.tokens})
        continue
      }
      used += s.tokens
      offer.tools.push(...s.tools)
      offer.offered.push({name: s.spec.name, tools: s.tools.length, tokens: s.tokens})
    }
    if (offer.leftOut.length) this.warn(say.leftOut(offer.leftOut, budget, this.opts.settings.schemaBudgetSource))
    return offer
  }

  /** Why a server did not start or stopped, when it did. */
  reasonFor(name: string): string | undefined {
    return this.conns.get(name)?.reason
  }

  /** Stop every server that was started. */
  async close(): Promise<void> {
    await Promise.all([...this.conns.values()].map((c) => c.close()))
    this.conns.clear()
    this.built.clear()
  }
}
