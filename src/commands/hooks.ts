import {Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import type {HookEvent} from '../core/hooks/events.js'

export interface HooksCommandResult {
  enabled: boolean
  /** Why hooks are off: `hooks_disabled` (config). */
  disabled_by: string | null
  /** config: set in a config file; detected: none configured, these are what the first run will write. */
  source: 'config' | 'detected'
  events: Array<{event: HookEvent; commands: string[]; from: string | null; help: string}>
  /** Why detected commands were chosen. */
  reasons: string[]
  /** Commands from the repository's committed config that are not approved, so they do not run. */
  untrusted: string[]
  /** Commands approved by this call (--trust). */
  trusted: string[]
}

export default class Hooks extends BaseCommand {
  static summary = 'Show the hooks run at agent events (configured, or detected for this repository)'
  static description = `Hooks are shell commands run from the repository root at five events: on_edit (after each file edit; its output, capped at 50 lines with errors first, is appended to the edit's result so the model fixes what it broke), on_task_done, on_plan_step_done, on_session_start and on_session_end. Each has a 30 s timeout.

When no hooks are configured, git pare detects them on first use from the project's markers (tsconfig.json -> the project's tsc --noEmit; Cargo.toml -> cargo check; go.mod -> go build; pyproject.toml or setup.py with ruff installed -> ruff check; a package.json lint script) and writes them once into .parecode/config.yaml. Set them under \`hooks:\` there (or in a profile); \`hooks_disabled: true\` turns them off, \`--no-hooks\` for one run.

Hooks in your user config run as they are. Hooks from the repository, in its .parecode/config.yaml or detected from its files, run only once you approve them (\`git pare trust\`, or \`git pare hooks --trust\` for the config and its hooks), and again after they or the files that decide what they run change (a package.json script, Cargo.toml and build.rs, a committed binary): a cloned repository cannot make git pare run its code on its own. Fixed templates that run only your own tools (npx --no-install tsc --noEmit, go build ./..., ruff check .) need no approval. Approvals live in your state directory, never in the repository.`

  static examples = ['<%= config.bin %> hooks', '<%= config.bin %> hooks --trust', '<%= config.bin %> hooks --profile local --json']

  static flags = {
    profile: Flags.string({description: 'profile whose hooks to show', helpGroup: 'MODEL'}),
    trust: Flags.boolean({description: "approve this repository's .parecode/config.yaml and its hooks as they are now (they do not run until approved)"}),
  }

  async run(): Promise<HooksCommandResult> {
    const {flags} = await this.parse(Hooks)
    const repo = await this.repo()
    const [{loadConfig}, {HOOK_EVENTS, HOOK_EVENT_HELP}, {ensureHooks, hooksFromConfig}, core, {ApprovalStore}, {detectHooks}, {neutraliseLine}] = await Promise.all([
      import('../core/config/load.js'),
      import('../core/hooks/events.js'),
      import('../core/hooks/ensure-hooks.js'),
      import('../core/trust/repo-trust.js'),
      import('../core/trust/approvals.js'),
      import('../core/hooks/detect-hooks.js'),
      import('../core/text/terminal.js'),
    ])
    const env = process.env
    const approvals = ApprovalStore.forUser(env)
    let trusted: string[] = []
    const load = () => loadConfig({cwd: process.cwd(), repoRoot: repo.root, env: {...env, PARECODE_NO_OLLAMA_PROBE: '1'}, flags: {profile: flags.profile}, approvals})
    let loaded = await load()
    if (flags.trust) {
      // Approve the repository's config and its hooks exactly as they are now (what `git pare hooks` shows).
      const userHooks = Object.values(loaded.hooks.sources).some((x) => String(x).startsWith('user:'))
      const report = await core.repoTrustReport(repo.root, {env, approvals, userHooks})
      report.items = report.items.filter((i) => i.kind !== 'conventions')
      if (report.configError) this.note(`not approving .parecode/config.yaml: ${report.configError}`)
      trusted = (await core.approveReport(report, {env, approvals})).map((i) => i.label)
      loaded = await load()
    }
    for (const w of loaded.warnings) this.note(w)
    if (loaded.repoTrust.state === 'unapproved') this.note('ignoring .parecode/config.yaml until you approve it: review it with `git pare trust`')
    if (loaded.repoTrust.state === 'refused') this.note(`ignored ${loaded.repoTrust.reason}`)
    const {configured, disabled} = hooksFromConfig(loaded.hooks)
    // Show without writing anything: the state the next agent run will find.
    const {ProjectFiles} = await import('../core/hooks/project-files.js')
    const files = await ProjectFiles.load(repo.root, env)
    const detected = configured || disabled ? undefined : await detectHooks(repo.root, {env, files})
    const ensured = await ensureHooks(repo.root, {files, configured: configured ?? (detected ? {events: detected.commands, sources: Object.fromEntries(Object.keys(detected.commands).map((e) => [e, 'detected']))} : undefined), disabled, env, approvals, repoConfig: {state: 'refused'}})
    const all = ensured.hooks.commands
    const pendingOf = new Map(ensured.pending.map((p) => [p.label, p.why]))
    const result: HooksCommandResult = {
      enabled: ensured.hooks.enabled,
      disabled_by: ensured.hooks.disabledBy ?? null,
      source: detected ? 'detected' : 'config',
      events: HOOK_EVENTS.map((event) => {
        const shown = [...all[event], ...(configured?.events[event] ?? detected?.commands[event] ?? []).filter((c) => pendingOf.has(c))]
        return {event, commands: shown.map((c) => neutraliseLine(c)), from: (loaded.hooks.sources[event] as string | undefined) ?? (detected ? 'detected' : null), help: HOOK_EVENT_HELP[event]}
      }),
      reasons: detected?.reasons ?? [],
      untrusted: ensured.untrusted.map((c) => `${neutraliseLine(c)} (${pendingOf.get(c)})`),
      trusted: trusted.map((c) => neutraliseLine(c)),
    }
    if (!this.jsonEnabled()) this.log(render(result))
    return result
  }
}

function render(r: HooksCommandResult): string {
  const lines: string[] = []
  if (!r.enabled) lines.push(`hooks are off (${r.disabled_by}); the configured commands would be:`)
  else if (r.source === 'detected') lines.push('No hooks configured; detected for this repository (written to .parecode/config.yaml on the first agent run, or by `git pare init`):')
  const width = Math.max(...r.events.map((e) => e.event.length))
  for (const e of r.events) {
    const cmd = e.commands.length ? e.commands.join(' && ') : '-'
    const from = e.commands.length && e.from && e.from !== 'detected' ? `  (${e.from})` : ''
    lines.push(`${e.event.padEnd(width)}  ${cmd}${from}`)
  }
  if (r.reasons.length) lines.push('', ...r.reasons.map((x) => `  ${x}`))
  if (r.trusted.length) lines.push('', `approved: ${r.trusted.map((c) => `\`${c}\``).join(', ')}`)
  if (r.untrusted.length) lines.push('', `not approved, so not run: ${r.untrusted.map((c) => `\`${c}\``).join(', ')}`, 'review them with `git pare trust` (or approve the hooks with `git pare hooks --trust`)')
  lines.push('', 'Change them under `hooks:` in .parecode/config.yaml; `hooks_disabled: true` turns them off, --no-hooks for one run.')
  return lines.join('\n')
}
