import type {ConfigRow} from '../config/describe.js'
import type {LoadedConfig} from '../config/load.js'
import type {McpReport} from './inspect.js'

/** `git pare config` rows for MCP: each server with its tool count and schema tokens, then the budget. */
export function mcpRows(loaded: Pick<LoadedConfig, 'mcp'>, report: McpReport): ConfigRow[] {
  const rows: ConfigRow[] = report.servers.map((s) => ({
    key: `mcp_servers.${s.name}`,
    value:
      s.state === 'started'
        ? `${s.transport}, ${s.tools.length} tool${s.tools.length === 1 ? '' : 's'}, ${s.tokens} tokens (raw ${s.raw_tokens})${s.offered ? '' : ', over budget'}`
        : `${s.transport}, ${s.state.replace('_', ' ')}${s.reason ? `: ${s.reason}` : ''}`,
    source: s.source,
  }))
  rows.push({key: 'mcp_schema_budget', value: `${report.offered_tokens} of ${report.schema_budget} tokens used`, source: loaded.mcp.schemaBudgetSource})
  return rows
}

/** Start the configured servers to count their schemas, and describe them as config rows. */
export async function describeMcp(loaded: Pick<LoadedConfig, 'mcp' | 'profile'>, opts: {root: string; env: NodeJS.ProcessEnv}): Promise<ConfigRow[]> {
  if (!loaded.mcp?.servers.length) return []
  const [{inspectMcp}, {loadTokenCounter}, {ApprovalStore}] = await Promise.all([import('./inspect.js'), import('../context/tokenizer.js'), import('../trust/approvals.js')])
  const counter = await loadTokenCounter(loaded.profile.tokenizer)
  return mcpRows(loaded, await inspectMcp(loaded.mcp, {...opts, counter, approvals: ApprovalStore.forUser(opts.env)}))
}
