import {Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import type {HookEvent} from '../core/hooks/events.js'

export interface HooksCommandResult {
  enabled: boolean
  /** Why hooks are off: `hooks_disabled` (config). */
  disabledBy: string | null
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

Commands that come from the repository's own (committed) .parecode/config.yaml run only once you approve them with \`git pare hooks --trust\`, and again after they change: a cloned repository cannot make git pare run commands on its own. Hooks git pare detected and wrote itself, and hooks in your user config, need no approval. Approvals are kept in the git directory.`

  static examples = ['<%= config.bin %> hooks', '<%= config.bin %> hooks --trust', '<%= config.bin %> hooks --profile local --json']

  static flags = {
    profile: Flags.string({description: 'profile whose hooks to show', helpGroup: 'MODEL'}),
    trust: Flags.boolean({description: "approve the hook commands in this repository's .parecode/config.yaml (they do not run until approved)"}),
  }

  async run(): Promise<HooksCommandResult> {
    const {flags} = await this.parse(Hooks)
    const repo = await this.repo()
    const [{loadConfig}, {HOOK_EVENTS, HOOK_EVENT_HELP, resolveHooks}, {detectHooks}, {hooksFromConfig}, {readProjectHooks}, trust] = await Promise.all([
      import('../core/config/load.js'),
      import('../core/hooks/events.js'),
      import('../core/hooks/detect-hooks.js'),
      import('../core/hooks/ensure-hooks.js'),
      import('../core/hooks/hooks-config.js'),
      import('../core/hooks/trust.js'),
    ])
    const loaded = await loadConfig({cwd: process.cwd(), repoRoot: repo.root, env: {...process.env, PARECODE_NO_OLLAMA_PROBE: '1'}, flags: {profile: flags.profile}})
    for (const w of loaded.warnings) this.note(w)
    const {configured, disabled} = hooksFromConfig(loaded.hooks)
    const detected = configured || disabled ? undefined : await detectHooks(repo.root)
    const hooks = resolveHooks({hooks: configured ?? detected?.commands, disabled})
    const fromRepo = trust.repoFileCommands(await readProjectHooks(repo.root))
    let trusted: string[] = []
    if (flags.trust) {
      trusted = [...fromRepo]
      await trust.trustCommands(repo.root, trusted)
    }
    const inUse = [...new Set(Object.values(hooks.commands).flat())].filter((c) => fromRepo.has(c))
    const untrusted = detected ? [] : await trust.untrustedCommands(repo.root, inUse)
    const result: HooksCommandResult = {
      enabled: hooks.enabled,
      disabledBy: hooks.disabledBy ?? null,
      source: detected ? 'detected' : 'config',
      events: HOOK_EVENTS.map((event) => ({event, commands: hooks.commands[event], from: (loaded.hooks.sources[event] as string | undefined) ?? (detected ? 'detected' : null), help: HOOK_EVENT_HELP[event]})),
      reasons: detected?.reasons ?? [],
      untrusted,
      trusted,
    }
    if (!this.jsonEnabled()) this.log(render(result))
    return result
  }
}

function render(r: HooksCommandResult): string {
  const lines: string[] = []
  if (!r.enabled) lines.push(`hooks are off (${r.disabledBy}); the configured commands would be:`)
  else if (r.source === 'detected') lines.push('No hooks configured; detected for this repository (written to .parecode/config.yaml on the first agent run, or by `git pare init`):')
  const width = Math.max(...r.events.map((e) => e.event.length))
  for (const e of r.events) {
    const cmd = e.commands.length ? e.commands.join(' && ') : '-'
    const from = e.commands.length && e.from && e.from !== 'detected' ? `  (${e.from})` : ''
    lines.push(`${e.event.padEnd(width)}  ${cmd}${from}`)
  }
  if (r.reasons.length) lines.push('', ...r.reasons.map((x) => `  ${x}`))
  if (r.trusted.length) lines.push('', `approved: ${r.trusted.map((c) => `\`${c}\``).join(', ')}`)
  if (r.untrusted.length) lines.push('', `not approved, so not run: ${r.untrusted.map((c) => `\`${c}\``).join(', ')}`, 'check them in .parecode/config.yaml, then run `git pare hooks --trust`')
  lines.push('', 'Change them under `hooks:` in .parecode/config.yaml; `hooks_disabled: true` turns them off, --no-hooks for one run.')
  return lines.join('\n')
}
