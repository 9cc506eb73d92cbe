import {parseConfigText} from '../config/file.js'
import {readRepoConfigText, REPO_CONFIG_FILE, REPO_CONFIG_KEY} from '../config/repo-file.js'
import {HOOK_EVENTS, type ConfigSettings, type HooksSetting} from '../config/types.js'
import {isPareError} from '../errors/pare-error.js'
import {conventionItems} from '../hooks/conventions.js'
import {detectHooks} from '../hooks/detect-hooks.js'
import {hookItems} from '../hooks/ensure-hooks.js'
import {ProjectFiles} from '../hooks/project-files.js'
import {mcpItems} from '../mcp/approval.js'
import {ApprovalStore, worktreeScope} from './approvals.js'
import type {TrustItem} from './items.js'

/** Everything a repository supplies that needs the user's approval, and where each stands. */
export interface RepoTrustReport {
  root: string
  items: (TrustItem & {approved: boolean})[]
  /** Files not read at all: a symlink out of the repository, a device, too large. They can never be approved. */
  refused: string[]
  /** The repository's config does not validate: it cannot be approved until fixed. */
  configError?: string
}

// Settings of a repository config that can pick a host, a model, a secret or a command, or change limits.
function settingsSummary(s: ConfigSettings): string {
  const keys = new Set<string>()
  for (const k of Object.keys(s)) keys.add(k)
  for (const p of Object.values(s.profiles ?? {})) for (const k of Object.keys(p)) keys.add(k)
  keys.delete('profiles')
  return keys.size ? `sets ${[...keys].sort().join(', ')}` : 'sets nothing'
}

function hookCommands(s: ConfigSettings): string[] {
  const out: string[] = []
  const add = (h: HooksSetting | undefined) => {
    for (const e of HOOK_EVENTS) if (h && Object.hasOwn(h, e)) out.push(...(h[e] ?? []).map((c) => c.trim()).filter(Boolean))
  }
  add(s.hooks)
  for (const p of Object.values(s.profiles ?? {})) add(p.hooks)
  return out
}

/**
 * What this work tree's repository supplies: its `.parecode/config.yaml`, the hooks in it (or, when no hooks are
 * configured anywhere, the detected ones) that run repository code, and AGENTS.md / CLAUDE.md / conventions.md.
 * `userHooks`: the user's own config sets hooks, so nothing is detected.
 */
export async function repoTrustReport(root: string, opts: {env: NodeJS.ProcessEnv; approvals?: ApprovalStore; userHooks?: boolean}): Promise<RepoTrustReport> {
  const approvals = opts.approvals ?? ApprovalStore.forUser(opts.env)
  const refused: string[] = []
  const items: TrustItem[] = []
  let configError: string | undefined
  let settings: ConfigSettings | undefined
  const config = await readRepoConfigText(root)
  if (config.ok) {
    try {
      settings = await parseConfigText(config.text, REPO_CONFIG_FILE)
    } catch (err) {
      if (!isPareError(err)) throw err
      configError = err.message
    }
    items.push({key: REPO_CONFIG_KEY, kind: 'config', label: REPO_CONFIG_FILE, why: settings ? settingsSummary(settings) : 'does not validate', content: config.text})
  } else if (!config.missing) refused.push(config.reason)
  const f = await ProjectFiles.load(root, opts.env)
  const configured = settings ? hookCommands(settings) : []
  const hasHooks = Boolean(settings && (settings.hooks || Object.values(settings.profiles ?? {}).some((p) => p.hooks)))
  const commands = hasHooks || opts.userHooks ? configured : Object.values((await detectHooks(root, {env: opts.env, files: f})).commands).flat()
  items.push(...hookItems(commands, f))
  items.push(...mcpItems(root, settings?.mcp_servers))
  items.push(...(await conventionItems(root, {onRefused: (r) => refused.push(r)})))
  refused.push(...f.refused)
  const pending = new Set((await approvals.unapproved(worktreeScope(root), items)).map((i) => i.key))
  return {root, items: items.map((i) => ({...i, approved: !pending.has(i.key)})), refused: [...new Set(refused)], ...(configError ? {configError} : {})}
}

/** Approve exactly the contents in the report (what was shown, not what the files hold by now). */
export async function approveReport(report: RepoTrustReport, opts: {env: NodeJS.ProcessEnv; approvals?: ApprovalStore}): Promise<TrustItem[]> {
  const approvals = opts.approvals ?? ApprovalStore.forUser(opts.env)
  const todo = report.items.filter((i) => !i.approved && !(i.kind === 'config' && report.configError))
  await approvals.approve(worktreeScope(report.root), todo.map((i) => ({key: i.key, content: i.content})))
  return todo
}

/** Forget every approval of this work tree. */
export async function revokeRepo(root: string, opts: {env: NodeJS.ProcessEnv; approvals?: ApprovalStore}): Promise<string[]> {
  return (opts.approvals ?? ApprovalStore.forUser(opts.env)).revoke(worktreeScope(root))
}
