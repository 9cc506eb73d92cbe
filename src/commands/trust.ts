import {Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import type {RepoTrustReport} from '../core/trust/repo-trust.js'

export interface TrustCommandResult {
  root: string
  /** approved: everything in use is approved; pending: something is not; revoked: approvals were forgotten. */
  state: 'approved' | 'pending' | 'revoked'
  items: Array<{key: string; kind: string; label: string; why: string; status: 'approved' | 'new' | 'changed'; content: string}>
  refused: string[]
  config_error: string | null
  /** Keys approved (or revoked) by this call. */
  changed: string[]
}

export default class Trust extends BaseCommand {
  static summary = "Review and approve what this repository supplies: its config, hooks and conventions"
  static description = `A cloned repository can carry a .parecode/config.yaml (endpoints, models, hooks, limits), hooks that run its own code (a package.json lint script, cargo build scripts, binaries committed to the tree) and AGENTS.md / CLAUDE.md / .parecode/conventions.md, which go into the model's instructions. None of it is used until you approve it here; until then git pare works with your own configuration and says once what it ignored.

An approval covers the exact content shown, by its SHA-256, and is kept in your state directory ($XDG_STATE_HOME/parecode, default ~/.local/state/parecode), never in the repository: any later change needs a new approval. Control characters are shown escaped, so what you read is what runs. Files that are symlinks out of the repository, devices or too large are refused and never read.

Without a terminal, pass --yes to approve what is listed. --revoke forgets every approval of this work tree.`

  static examples = ['git pare trust', 'git pare trust --yes', 'git pare trust --json', 'git pare trust --revoke']

  static flags = {
    yes: Flags.boolean({char: 'y', description: 'approve what is listed without asking'}),
    revoke: Flags.boolean({description: 'forget every approval of this work tree', exclusive: ['yes']}),
  }

  async run(): Promise<TrustCommandResult> {
    const {flags} = await this.parse(Trust)
    const repo = await this.repo()
    const [core, {loadConfig}, {ApprovalStore, worktreeScope}] = await Promise.all([import('../core/trust/repo-trust.js'), import('../core/config/load.js'), import('../core/trust/approvals.js')])
    const env = process.env
    const approvals = ApprovalStore.forUser(env)
    if (flags.revoke) {
      const gone = await core.revokeRepo(repo.root, {env, approvals})
      if (!this.jsonEnabled()) this.log(gone.length ? `forgot ${gone.length} approval${gone.length === 1 ? '' : 's'} of ${repo.root}` : `nothing was approved in ${repo.root}`)
      return {root: repo.root, state: 'revoked', items: [], refused: [], config_error: null, changed: gone}
    }
    const loaded = await loadConfig({cwd: process.cwd(), repoRoot: repo.root, env: {...env, PARECODE_NO_OLLAMA_PROBE: '1'}, approvals})
    const userHooks = Object.values(loaded.hooks.sources).some((s) => String(s).startsWith('user:'))
    const report = await core.repoTrustReport(repo.root, {env, approvals, userHooks})
    const known = new Set((await approvals.list(worktreeScope(repo.root))).map((e) => e.key))
    const result = toResult(report, known)
    const pending = result.items.filter((i) => i.status !== 'approved')
    if (!this.jsonEnabled()) this.log(await render(result))
    if (!pending.length) return result
    let yes = flags.yes
    if (!yes && !this.jsonEnabled()) {
      const {confirm} = await import('../cli/confirm.js')
      yes = await confirm(`Approve ${pending.length === 1 ? 'this' : `these ${pending.length}`} for ${repo.root}?`)
    }
    if (!yes && this.jsonEnabled()) return result
    if (!yes) {
      const {UsageError} = await import('../core/errors/index.js')
      throw new UsageError(`nothing approved: ${pending.length} item${pending.length === 1 ? '' : 's'} above ${pending.length === 1 ? 'is' : 'are'} not approved`, 'check them, then run `git pare trust --yes`', 'not_approved')
    }
    if (report.configError) this.note(`not approving .parecode/config.yaml: ${report.configError}`)
    const done = await core.approveReport(report, {env, approvals})
    const {neutraliseLine} = await import('../core/text/terminal.js')
    if (!this.jsonEnabled()) this.log(`approved ${done.map((i) => neutraliseLine(i.label)).join(', ') || 'nothing'}`)
    const after = new Set(done.map((i) => i.key))
    return {...result, state: report.configError ? 'pending' : 'approved', items: result.items.map((i) => (after.has(i.key) ? {...i, status: 'approved'} : i)), changed: [...after]}
  }
}

function toResult(report: RepoTrustReport, known: Set<string>): TrustCommandResult {
  const items = report.items.map((i) => ({key: i.key, kind: i.kind, label: i.label, why: i.why, status: (i.approved ? 'approved' : known.has(i.key) ? 'changed' : 'new') as 'approved' | 'new' | 'changed', content: i.content}))
  return {root: report.root, state: items.every((i) => i.status === 'approved') && !report.configError ? 'approved' : 'pending', items, refused: report.refused, config_error: report.configError ?? null, changed: []}
}

const SHOWN_LINES = 40

async function render(r: TrustCommandResult): Promise<string> {
  const {neutralise, neutraliseLine} = await import('../core/text/terminal.js')
  const lines: string[] = []
  if (!r.items.length && !r.refused.length) return `${r.root}: this repository supplies nothing that needs approval`
  lines.push(`${neutraliseLine(r.root)}: ${r.state === 'approved' ? 'everything this repository supplies is approved' : 'what this repository supplies, and what approving it allows'}`)
  for (const i of r.items) {
    const mark = i.status === 'approved' ? 'approved' : i.status === 'changed' ? 'CHANGED since you approved it' : 'not approved'
    lines.push('', `${i.kind === 'hook' ? 'hook ' : ''}${neutraliseLine(i.label)}: ${neutraliseLine(i.why)} (${mark})`)
    if (i.status === 'approved') continue
    const body = neutralise(i.content).replace(/\n$/, '').split('\n')
    // What runs or picks a host is shown whole; conventions are prose for the model, shown in part.
    const shown = i.kind === 'conventions' ? body.slice(0, SHOWN_LINES) : body
    lines.push(...shown.map((l) => `  | ${l}`))
    if (shown.length < body.length) lines.push(`  | … ${body.length - shown.length} more lines (read ${neutraliseLine(i.label)})`)
  }
  if (r.config_error) lines.push('', `.parecode/config.yaml cannot be approved until it is fixed: ${neutraliseLine(r.config_error)}`)
  for (const x of r.refused) lines.push('', `refused, never read: ${neutraliseLine(x)}`)
  return lines.join('\n')
}
