import {createHash} from 'node:crypto'

// Tool names on the wire are `<server>__<tool>`. OpenAI's function names must match ^[a-zA-Z0-9_-]{1,64}$ and
// Anthropic's the same, so `server.tool` (the design's name, and what users see) is refused by the providers most
// people use. One separator every provider accepts keeps a session portable between profiles; the model writing
// `server.tool` anyway still finds the tool (findTool maps the dot).

/** What joins a server's name and its tool's name in the function name sent to the model. */
export const MCP_SEPARATOR = '__'

const MAX_NAME = 64

/** The function name for `tool` of `server`: provider-safe characters, at most 64, unique among `taken`. */
export function wireName(server: string, tool: string, taken: Set<string>): string {
  const safe = tool.replace(/[^A-Za-z0-9_-]/g, '_') || 'tool'
  let name = `${server}${MCP_SEPARATOR}${safe}`
  if (name.length > MAX_NAME) {
    // A cut name keeps a short hash of the real one, so two long names do not end up the same.
    name = `${name.slice(0, MAX_NAME - 7)}_${createHash('sha256').update(tool).digest('hex').slice(0, 6)}`
  }
  for (let n = 2; taken.has(name); n++) name = `${name.slice(0, MAX_NAME - String(n).length - 1)}_${n}`
  taken.add(name)
  return name
}

/** How the user reads an MCP tool's name: `server.tool`. */
export const displayName = (server: string, tool: string) => `${server}.${tool}`
