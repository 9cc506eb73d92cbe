// Token replay: fixed trajectories through the real agent loop and the loopback model (see tokens/scenarios.mjs).
import {readFileSync} from 'node:fs'
import {runAll} from './tokens/scenarios.mjs'
import {runPlanSteps} from './tokens/plan-steps.mjs'
import {mcpSchemaCost} from './tokens/mcp-schemas.mjs'

export default async function tokens() {
  const rows = await runAll()
  const baseline = JSON.parse(readFileSync(new URL('./baseline.json', import.meta.url), 'utf8'))
  const plan = await runPlanSteps()
  const mcp = await mcpSchemaCost()
  const table = rows.map((r) => {
    const base = baseline.scenarios?.[r.name]?.total_input
    return [r.name, r.total_input, base ?? '-', base ? `${(((r.total_input - base) / base) * 100).toFixed(1)}%` : '-', r.largest_request, r.requests, r.tool_calls, r.rereads, r.raw_tool_output]
  })
  for (const s of plan.steps) table.push([`plan step ${s.n} (first request)`, s.first, '-', '-', s.largest, s.requests, s.tool_calls, 0, '-'])
  // MCP tool schemas sent with every request: as the server wrote them, and as offered after trimming (lean-schema.ts).
  table.push([`MCP schemas, ${mcp.server} (${mcp.tools} tools), raw`, mcp.raw, '-', '-', '-', '-', '-', '-', '-'])
  table.push([`MCP schemas, ${mcp.server} (${mcp.tools} tools), trimmed`, mcp.lean, '-', '-', '-', '-', '-', '-', '-'])
  return {
    title: 'Token replay (o200k, requests as received by the loopback model)',
    columns: ['scenario', 'total input', 'baseline', 'Δ', 'largest request', 'requests', 'tool calls', 're-reads', 'raw tool output'],
    rows: table,
    data: {scenarios: rows, plan, mcp},
    note: `First request of \`git pare run "say hi"\`: ${plan.sayHi} tokens.`,
  }
}
