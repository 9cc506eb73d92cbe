import type {ValueSource} from '../config/types.js'

/** What the MCP client tells the user (warnings on stderr, `warnings` under --json). */
export const mcpMessages = {
  didNotStart: (name: string, why: string) => `MCP server "${name}" did not start: ${why}; its tools are not offered`,
  stopped: (name: string, why: string) => `MCP server "${name}" ${why}; its tools answer with an error for the rest of this run`,
  notApproved: (name: string, source: ValueSource) => `not starting MCP server "${name}" from ${source.replace(/^repo:/, '')}: you have not approved it; review it with \`git pare trust\``,
  unknownInStep: (name: string) => `the step names MCP server "${name}", which is not configured (mcp_servers in your config)`,
  disabledInStep: (name: string) => `the step names MCP server "${name}", which is turned off (enabled: false)`,
  missingTools: (name: string, tools: string[]) => `MCP server "${name}" has no tool ${tools.map((t) => `"${t}"`).join(', ')} (its \`tools:\` list)`,
  leftOut: (servers: {name: string; tokens: number}[], budget: number, source: ValueSource) =>
    `MCP tools left out to stay within mcp_schema_budget (${budget} tokens, ${source}): ${servers.map((s) => `${s.name} (${s.tokens} tokens)`).join(', ')}; raise mcp_schema_budget or narrow a server with \`tools: [...]\``,
}
