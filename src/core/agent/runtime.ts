import {budgetFor} from '../context/budget.js'
import {ReadCache} from '../context/read-cache.js'
import type {TokenCounter} from '../context/tokenizer.js'
import type {LoadedConfig} from '../config/load.js'
import {requireModel} from '../config/require.js'
import type {ResolvedProfile} from '../config/types.js'
import type {PareModelClient} from '../model/client.js'
import type {StreamEvent} from '../model/types.js'
import type {AnyTool} from '../tools/registry.js'
import type {ToolContext} from '../tools/types.js'
import type {McpManager, McpScope} from '../mcp/manager.js'

/** Everything a run, a plan or a step needs to talk to the model and use tools; built once per command. */
export interface Runtime {
  profile: ResolvedProfile & {baseUrl: string; model: string}
  /** Keep untracked secret-named files in session work trees (the user's opt-in). */
  sessionSecretFiles: boolean
  client: PareModelClient
  counter: TokenCounter
  budgetTokens: number
  /** Built-in tools, then the MCP tools the scope offers (default: every enabled server; none in quick mode). */
  tools(opts?: {quick?: boolean; mcp?: McpScope}): Promise<AnyTool[]>
  /** A fresh tool context (read cache per run). */
  toolContext(extra?: Partial<ToolContext>): Omit<ToolContext, 'callId' | 'recall' | 'signal'>
  close(): Promise<void>
}

export interface RuntimeOptions {
  root: string
  config: LoadedConfig
  env: NodeJS.ProcessEnv
  /** A client to use instead of one built from the profile (tests, the demo). */
  client?: PareModelClient
  onModelEvent?: (e: StreamEvent) => void
  /** Asks the user before a bash command that needs approval (the CLI on a terminal); absent: such commands are refused. */
  approve?: ToolContext['approve']
  /** Tells the user about MCP servers that did not start, stopped or were left out. */
  onWarning?: (message: string) => void
}

/** Build the runtime from a resolved configuration: model client, tokenizer, tool set. */
export async function createRuntime(opts: RuntimeOptions): Promise<Runtime> {
  const profile = requireModel(opts.config.profile)
  const [{loadTokenCounter}, {createModelClient}, {allowlistEnv}] = await Promise.all([
    import('../context/tokenizer.js'),
    import('../model/client.js'),
    import('../tools/env.js'),
  ])
  const counter = await loadTokenCounter(profile.tokenizer)
  const client =
    opts.client ??
    createModelClient({
      baseUrl: profile.baseUrl,
      apiKey: profile.apiKey,
      apiKeySource: profile.apiKeyEnv ? `$${profile.apiKeyEnv}` : undefined,
      keyOnlyToLoopback: profile.apiKeyScope === 'loopback',
      model: profile.model,
      contextWindow: profile.contextWindow,
      maxTokens: profile.maxTokens,
      retries: Math.max(0, profile.retries - 1),
      timeouts: profile.timeouts,
      countTokens: (t) => counter.count(t),
    })
  const env = allowlistEnv(opts.env)
  const sec = opts.config.settings?.security
  // Permissions come from the user alone (settings.ts ignores a repository's); the tool resolves the sandbox lazily.
  const bash = {approval: sec?.approval, sandbox: sec?.sandbox, network: sec?.network, allow: sec?.bashAllow}
  // MCP servers start on the first request that offers their tools, not here (a run may never get that far).
  let mcp: Promise<McpManager> | undefined
  const mcpSettings = opts.config.mcp
  const mcpManager = () =>
    (mcp ??= import('../mcp/manager.js').then(async ({McpManager}) => {
      const {ApprovalStore} = await import('../trust/approvals.js')
      return new McpManager({root: opts.root, env: opts.env, settings: mcpSettings!, counter, approvals: ApprovalStore.forUser(opts.env), onWarning: opts.onWarning})
    }))
  return {
    profile,
    sessionSecretFiles: opts.config.settings.security?.sessionSecretFiles ?? false,
    client,
    counter,
    budgetTokens: budgetFor(profile.contextWindow, profile.budgetFraction),
    async tools(o = {}) {
      const {toolsFor} = await import('../tools/registry.js')
      const builtIn = toolsFor({editFormat: profile.editFormat, quick: o.quick})
      const scope = o.mcp ?? (o.quick ? {kind: 'none'} : {kind: 'all'})
      if (!mcpSettings?.servers.length || scope.kind === 'none') return builtIn
      return [...builtIn, ...(await (await mcpManager()).toolsFor(scope)).tools]
    },
    toolContext(extra = {}) {
      return {root: opts.root, readCache: new ReadCache(), env, bash, ...(opts.approve ? {approve: opts.approve} : {}), maxBashTimeout: profile.bashTimeoutMax, editFormat: profile.editFormat, ...extra}
    },
    close: async () => {
      await Promise.all([client.close(), mcp?.then((m) => m.close())])
    },
  }
}
