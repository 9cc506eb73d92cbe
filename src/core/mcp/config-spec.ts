import type {Spec} from '../config/schema.js'

// The YAML shape of one `mcp_servers.<name>` entry, validated with the rest of the config file (file:line errors).

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/
const envName = (k: string) => (ENV_NAME.test(k) ? undefined : `"${k}" is not an environment variable name`)

/** Server names become the prefix of tool names (`<server>__<tool>`): letters, digits, `-`, `_`, no `__`. */
export const MCP_SERVER_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9-]|_(?!_)){0,31}$/

const text: Spec = {kind: 'string'}
const ms: Spec = {kind: 'number', min: 1, max: 86_400_000, int: true}

/** One MCP server: stdio (`command`, `args`, `env`, `env_pass`) or streamable HTTP (`url`). */
export const MCP_SERVER_SPEC: Spec = {
  kind: 'map',
  what: 'an MCP server',
  keys: {
    command: text,
    args: {kind: 'list', item: text},
    env: {kind: 'dict', what: 'env', value: text, key: envName},
    env_pass: {kind: 'list', item: {kind: 'string', check: envName}},
    url: {kind: 'string', check: (v) => (/^https?:\/\/[^\s/]+/.test(v) ? undefined : 'url must be an http(s) URL, like http://127.0.0.1:3001/mcp')},
    enabled: {kind: 'bool'},
    tools: {kind: 'list', item: text},
    timeout_ms: ms,
    start_timeout_ms: ms,
    routes: {kind: 'list', item: {kind: 'enum', values: ['quick', 'standard', 'deep']}},
  },
  refine: (o) => {
    if (o.command === undefined && o.url === undefined) return 'an MCP server needs `command` (a stdio server) or `url` (streamable HTTP)'
    if (o.command !== undefined && o.url !== undefined) return 'an MCP server has either `command` (stdio) or `url` (streamable HTTP), not both'
    if (o.url !== undefined && (o.args !== undefined || o.env !== undefined || o.env_pass !== undefined)) return '`args`, `env` and `env_pass` belong to a stdio server (`command`), not to one with `url`'
    return undefined
  },
}

/** The `mcp_servers:` block: a mapping of server names to entries. */
export const MCP_SERVERS_SPEC: Spec = {
  kind: 'dict',
  what: 'mcp_servers',
  value: MCP_SERVER_SPEC,
  key: (k) => (MCP_SERVER_NAME.test(k) ? undefined : `"${k}" is not a usable server name: letters, digits, - and _ (no __), at most 32 characters`),
}
