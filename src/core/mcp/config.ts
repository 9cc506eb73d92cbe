import type {ConfigFile, McpServerSetting, ValueSource} from '../config/types.js'

/** Defaults of an MCP server entry: a call may take 30 s, starting (spawn + initialize + tools/list) 10 s. */
export const MCP_DEFAULTS = {callTimeoutMs: 30_000, startTimeoutMs: 10_000, schemaBudget: 2000} as const

/** One configured MCP server, resolved from the file that defines it. */
export interface McpServerSpec {
  name: string
  /** `user:<file>` or `repo:<file>`. */
  source: ValueSource
  /** From the repository's config: started only once the user approved this exact entry (`git pare trust`). */
  fromRepo: boolean
  transport: 'stdio' | 'http'
  command?: string
  args: string[]
  env: Record<string, string>
  envPass: string[]
  url?: string
  enabled: boolean
  /** Allowlist of the server's tool names; undefined: all of them. */
  tools?: string[]
  timeoutMs: number
  startTimeoutMs: number
  routes: ('quick' | 'standard' | 'deep')[]
  /** The entry as written (what an approval covers). */
  setting: McpServerSetting
}

/** The MCP client's settings: servers in the order the files list them (the user's first), and the schema token cap. */
export interface McpSettings {
  servers: McpServerSpec[]
  /** Most tokens the MCP tool schemas of a run or chat may cost; servers past it are left out. */
  schemaBudget: number
  schemaBudgetSource: ValueSource
}

const LOOPBACK = /^(localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\])$/i

/** Whether a URL names this machine by address (127.0.0.0/8, ::1) or as localhost. */
export function isLoopbackUrl(url: string): boolean {
  try {
    return LOOPBACK.test(new URL(url).hostname)
  } catch {
    return false
  }
}

function toSpec(name: string, s: McpServerSetting, f: ConfigFile): McpServerSpec {
  return {
    name,
    source: f.source,
    fromRepo: f.scope === 'repo',
    transport: s.url !== undefined ? 'http' : 'stdio',
    ...(s.command !== undefined ? {command: s.command} : {}),
    args: s.args ?? [],
    env: s.env ?? {},
    envPass: s.env_pass ?? [],
    ...(s.url !== undefined ? {url: s.url} : {}),
    enabled: s.enabled ?? true,
    ...(s.tools ? {tools: s.tools} : {}),
    timeoutMs: s.timeout_ms ?? MCP_DEFAULTS.callTimeoutMs,
    startTimeoutMs: s.start_timeout_ms ?? MCP_DEFAULTS.startTimeoutMs,
    routes: s.routes ?? [],
    setting: s,
  }
}

/**
 * Resolve `mcp_servers` from the config files (pure). The user's entries come first and win a name both files use. A
 * repository's entry that points at another machine is dropped: the model's arguments (repository text) would go to a
 * host the repository chose. Repository entries still need their own approval before they start (see approval.ts).
 */
export function resolveMcp(files: ConfigFile[], warnings: string[] = []): McpSettings {
  const user = files.find((f) => f.scope === 'user')
  const repo = files.find((f) => f.scope === 'repo')
  const servers: McpServerSpec[] = []
  for (const [name, s] of Object.entries(user?.settings.mcp_servers ?? {})) servers.push(toSpec(name, s, user!))
  for (const [name, s] of Object.entries(repo?.settings.mcp_servers ?? {})) {
    if (servers.some((x) => x.name === name)) {
      warnings.push(`ignored mcp_servers.${name} in ${repo!.display}: your user config defines a server of that name`)
      continue
    }
    if (s.url !== undefined && !isLoopbackUrl(s.url)) {
      warnings.push(`ignored mcp_servers.${name} in ${repo!.display}: a repository may name only an MCP server on this machine (127.0.0.1, ::1, localhost); add it to your user config if you trust ${s.url}`)
      continue
    }
    servers.push(toSpec(name, s, repo!))
  }
  const budgetFile = [repo, user].find((f) => f?.settings.mcp_schema_budget !== undefined)
  return {
    servers,
    schemaBudget: budgetFile?.settings.mcp_schema_budget ?? MCP_DEFAULTS.schemaBudget,
    schemaBudgetSource: budgetFile?.source ?? 'default',
  }
}
