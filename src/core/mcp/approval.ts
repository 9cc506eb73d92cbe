import {createHash} from 'node:crypto'
import path from 'node:path'
import type {McpServerSetting} from '../config/types.js'
import {readRepoFileSync} from '../fs/repo-file-sync.js'
import type {ApprovalStore} from '../trust/approvals.js'
import {worktreeScope} from '../trust/approvals.js'
import type {TrustItem} from '../trust/items.js'
import type {McpServerSpec} from './config.js'

// A repository's MCP server is a command it asks us to run (or a local port it asks us to send the model's arguments
// to). Like a hook, it starts only once the user approved the exact entry together with the repository files it runs
// (`node tools/server.js`: that file's text), so a later change to either needs a new approval.

/** Files larger than this are covered by their hash, not shown whole. */
const SHOWN_BYTES = 16 * 1024

/** The approval key of a repository's MCP server. */
export const mcpKey = (name: string) => `mcp:${name}`

function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical)
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical((v as Record<string, unknown>)[k])]))
  return v
}

/** Paths inside the repository the entry runs: its command and arguments that name a file there. */
function repoFiles(root: string, s: McpServerSetting): {label: string; text: string}[] {
  const out: {label: string; text: string}[] = []
  for (const word of [s.command ?? '', ...(s.args ?? [])]) {
    if (!word || word.startsWith('-') || path.isAbsolute(word) || !/[/.]/.test(word)) continue
    const rel = path.normalize(word)
    if (rel.startsWith('..') || out.some((o) => o.label === rel)) continue
    const r = readRepoFileSync(root, rel, 64 << 20)
    if (!r.ok) {
      if (!r.missing) out.push({label: rel, text: `(not readable: ${r.reason})`})
      continue
    }
    const big = r.content.length > SHOWN_BYTES || r.content.includes(0)
    out.push({label: rel, text: big ? `sha256 ${createHash('sha256').update(r.content).digest('hex')} (${r.content.length} bytes)` : r.content.toString('utf8')})
  }
  return out
}

/** What approving a repository's MCP server covers: the entry as written and the text of the files it runs. */
export function mcpApprovalContent(root: string, name: string, s: McpServerSetting): string {
  const files = repoFiles(root, s)
  return [`mcp_servers.${name}: ${JSON.stringify(canonical(s))}`, ...files.map((f) => `--- ${f.label}\n${f.text}`)].join('\n')
}

/** The trust items of a repository config's MCP servers. */
export function mcpItems(root: string, servers: Record<string, McpServerSetting> | undefined): TrustItem[] {
  return Object.entries(servers ?? {}).map(([name, s]) => ({
    key: mcpKey(name),
    kind: 'mcp' as const,
    label: `MCP server ${name}`,
    // env_pass hands it variables of yours (keys, tokens): said in the summary, not only in the entry below it.
    why: s.url !== undefined ? `sends the model's tool calls to ${s.url}` : `runs \`${[s.command, ...(s.args ?? [])].join(' ')}\` as an MCP server${s.env_pass?.length ? `, given your ${s.env_pass.map((n) => `$${n}`).join(', ')}` : ''}`,
    content: mcpApprovalContent(root, name, s),
  }))
}

/** The repository's servers among `servers` that the user has not approved as they are now. */
export async function unapprovedServers(root: string, servers: McpServerSpec[], approvals: ApprovalStore): Promise<McpServerSpec[]> {
  const repo = servers.filter((s) => s.fromRepo)
  if (!repo.length) return []
  const items = repo.map((s) => ({spec: s, key: mcpKey(s.name), content: mcpApprovalContent(root, s.name, s.setting)}))
  const pending = new Set((await approvals.unapproved(worktreeScope(root), items)).map((i) => i.key))
  return repo.filter((s) => pending.has(mcpKey(s.name)))
}
