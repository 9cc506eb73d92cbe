import type {TokenCounter} from '../context/tokenizer.js'
import type {ApprovalStore} from '../trust/approvals.js'
import type {McpSettings} from './config.js'
import {McpManager} from './manager.js'

/** One configured server as `git pare mcp list` and `git pare config` report it. */
export interface McpServerReport {
  name: string
  transport: 'stdio' | 'http'
  /** The command line, or the URL. */
  target: string
  source: string
  enabled: boolean
  /** started: it answered with its tools; failed: it did not start; disabled: enabled: false; not_approved: a repository's server you have not approved. */
  state: 'started' | 'failed' | 'disabled' | 'not_approved'
  reason: string | null
  tools: {name: string; wire_name: string; tokens: number}[]
  /** Tokens of its tool schemas as offered (trimmed), and as the server wrote them. */
  tokens: number
  raw_tokens: number
  /** It fits in mcp_schema_budget after the servers listed before it (what run and chat offer). */
  offered: boolean
}

export interface McpReport {
  servers: McpServerReport[]
  schema_budget: number
  /** Tokens of the schemas a run or chat offers. */
  offered_tokens: number
}

/** Start every enabled, approved server, list its tools and what their schemas cost, then stop them all. */
export async function inspectMcp(settings: McpSettings, opts: {root: string; env: NodeJS.ProcessEnv; counter: TokenCounter; approvals?: ApprovalStore}): Promise<McpReport> {
  // Each server's state is in the report: the manager's warnings would only repeat it.
  const m = new McpManager({...opts, settings})
  try {
    const usable = new Set((await m.inScope({kind: 'all'})).map((s) => s.name))
    const offer = await m.toolsFor({kind: 'all'})
    const offered = new Set(offer.offered.map((o) => o.name))
    const servers: McpServerReport[] = []
    for (const spec of settings.servers) {
      const base = {
        name: spec.name,
        transport: spec.transport,
        target: spec.transport === 'http' ? spec.url! : [spec.command!, ...spec.args].join(' '),
        source: spec.source,
        enabled: spec.enabled,
        tools: [] as McpServerReport['tools'],
        tokens: 0,
        raw_tokens: 0,
        offered: false,
      }
      if (!spec.enabled) servers.push({...base, state: 'disabled', reason: 'enabled: false'})
      else if (!usable.has(spec.name)) servers.push({...base, state: 'not_approved', reason: 'from the repository and not approved: `git pare trust`'})
      else {
        const st = await m.serverTools(spec)
        if (!st) servers.push({...base, state: 'failed', reason: m.reasonFor(spec.name) ?? 'did not start'})
        else {
          const tools = st.tools.map((t) => ({name: t.mcp.tool, wire_name: t.name, tokens: opts.counter.countTools([{type: 'function', function: {name: t.name, description: t.description, parameters: t.parameters}}])}))
          servers.push({...base, state: 'started', reason: null, tools, tokens: st.tokens, raw_tokens: st.rawTokens, offered: offered.has(spec.name)})
        }
      }
    }
    return {servers, schema_budget: settings.schemaBudget, offered_tokens: offer.offered.reduce((n, o) => n + o.tokens, 0)}
  } finally {
    await m.close()
  }
}
