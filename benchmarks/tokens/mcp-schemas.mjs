// MCP tool schemas: what server-everything's tools cost per request as the server writes them (zod-generated JSON
// Schema: $schema, additionalProperties, long descriptions) and as git-pare offers them (lean-schema.ts), counted
// with the project's o200k counter on the function definitions the model receives.
import {createRequire} from 'node:module'
import {loadTokenCounter} from '../../dist/core/context/tokenizer.js'
import {MCP_DEFAULTS} from '../../dist/core/mcp/config.js'
import {McpManager} from '../../dist/core/mcp/manager.js'

const require = createRequire(import.meta.url)

export async function mcpSchemaCost() {
  const everything = require.resolve('@modelcontextprotocol/server-everything/dist/index.js')
  const counter = await loadTokenCounter('o200k_base')
  // A chars/4 estimate would make both numbers meaningless: fail instead.
  if (!counter.exact) throw new Error('the o200k_base tokenizer did not load')
  const spec = {
    name: 'everything',
    source: 'default',
    fromRepo: false,
    transport: 'stdio',
    command: process.execPath,
    args: [everything, 'stdio'],
    env: {},
    envPass: [],
    enabled: true,
    timeoutMs: MCP_DEFAULTS.callTimeoutMs,
    startTimeoutMs: 60_000,
    routes: [],
    setting: {},
  }
  const m = new McpManager({root: process.cwd(), env: process.env, settings: {servers: [spec], schemaBudget: MCP_DEFAULTS.schemaBudget, schemaBudgetSource: 'default'}, counter})
  try {
    const st = await m.serverTools(spec)
    if (!st) throw new Error(`server-everything did not start: ${m.reasonFor('everything')}`)
    return {server: 'server-everything', tools: st.tools.length, raw: st.rawTokens, lean: st.tokens, saved: `${(((st.rawTokens - st.tokens) / st.rawTokens) * 100).toFixed(1)}%`}
  } finally {
    await m.close()
  }
}
