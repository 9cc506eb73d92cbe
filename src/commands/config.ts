import {BaseCommand} from '../cli/base-command.js'
import {snakeKeys} from '../cli/json-keys.js'
import {loadCommandConfig, modelFlags} from '../cli/model-flags.js'
import type {ConfigRow} from '../core/config/describe.js'
import type {ConfigFileInfo} from '../core/config/load.js'
import type {SandboxInfo} from '../core/sandbox/detect.js'

export interface ConfigResult {
  profile: string
  /** An endpoint and a model are known. */
  configured: boolean
  values: ConfigRow[]
  profiles: string[]
  settings: {telemetry: boolean; gc: {keep: number}}
  files: {user: ConfigFileInfo; repo?: ConfigFileInfo}
  /** Models of the local Ollama, when it was probed and answered. */
  ollama_models?: string[]
  /** The OS sandbox bash commands run in on this machine (kind none: with the reason). */
  sandbox: SandboxInfo
}

export default class Config extends BaseCommand {
  static summary = 'Show the resolved model profile and where each value came from'
  static description = `Resolution order, highest first: flags (--profile, --model, --base-url), environment (PARECODE_BASE_URL, PARECODE_MODEL, PARECODE_API_KEY, PARECODE_PROFILE; then OPENAI_API_KEY or OPENROUTER_API_KEY), the repository's .parecode/config.yaml, the user's ~/.config/parecode/config.yaml ($XDG_CONFIG_HOME), a local Ollama on 127.0.0.1:11434, built-in defaults.

API keys are read from environment variables only (a profile names one with api_key_env) and are shown masked. Works outside a repository too (then only the user file and the environment count).`

  static examples = [
    '<%= config.bin %> config',
    '<%= config.bin %> config --profile openrouter',
    'PARECODE_MODEL=qwen3:14b <%= config.bin %> config --json',
  ]

  static flags = {...modelFlags}

  async run(): Promise<ConfigResult> {
    const {flags} = await this.parse(Config)
    const {findRepo} = await import('../core/store/repo.js')
    const repoRoot = await findRepo(process.cwd()).then((r) => r.root, () => null)
    const loaded = await loadCommandConfig(flags, {repoRoot, note: (w) => this.note(w)})
    const [{describeConfig}, {detectSandbox}] = await Promise.all([import('../core/config/describe.js'), import('../core/sandbox/detect.js')])
    const sandbox = await detectSandbox()
    const result: ConfigResult = {
      profile: loaded.profile.name,
      configured: loaded.profile.configured,
      // MCP servers are started to count their schemas (only when some are configured).
      values: [...describeConfig(loaded, {sandbox, env: process.env}), ...(await (await import('../core/mcp/describe.js')).describeMcp(loaded, {root: repoRoot ?? process.cwd(), env: process.env}))],
      profiles: loaded.profiles,
      // Field names, never data: snake_case like every --json key.
      settings: snakeKeys(loaded.settings) as ConfigResult['settings'],
      files: loaded.files,
      ...(loaded.ollama ? {ollama_models: loaded.ollama.models} : {}),
      sandbox,
    }
    if (!this.jsonEnabled()) await this.render(result)
    return result
  }

  private async render(r: ConfigResult): Promise<void> {
    const lines: string[] = []
    const files = [r.files.user, r.files.repo].filter((f): f is ConfigFileInfo => Boolean(f))
    if (!r.values.some((v) => v.key === 'base_url')) {
      const {setupHelp} = await import('../core/config/messages.js')
      lines.push(setupHelp(r.files.user.display), '')
      // Which sandbox bash would use matters before a model is set up too.
      const row = (k: string) => r.values.find((v) => v.key === k)
      lines.push(`sandbox: ${String(row('sandbox')?.value)}; approval: ${String(row('approval')?.value)} (${row('approval')?.source})`)
      for (const f of files) lines.push(`${f === r.files.user ? 'user' : 'repo'} file: ${f.display}${f.exists ? (f.ignored ? ` (${f.ignored})` : '') : ' (not found)'}`)
      this.log(lines.join('\n'))
      return
    }
    if (!r.configured) {
      lines.push('No model is set: add `model:` to the profile, set PARECODE_MODEL, or pass --model.', '')
    }
    const show = (v: ConfigRow['value']) => (Array.isArray(v) ? (v.length ? v.join('; ') : '(none)') : String(v))
    const width = Math.max(...r.values.map((v) => v.key.length))
    const valueWidth = Math.min(48, Math.max(...r.values.map((v) => show(v.value).length)))
    for (const v of r.values) lines.push(`${v.key.padEnd(width)}  ${show(v.value).padEnd(valueWidth)}  ${v.source}`)
    lines.push('', `telemetry ${r.settings.telemetry ? 'on' : 'off'}, gc keeps ${r.settings.gc.keep}`)
    if (r.profiles.length) lines.push(`profiles: ${r.profiles.join(', ')}`)
    for (const f of files) lines.push(`${f === r.files.user ? 'user' : 'repo'} file: ${f.display}${f.exists ? (f.ignored ? ` (${f.ignored})` : '') : ' (not found)'}`)
    if (r.ollama_models) lines.push(`local Ollama models: ${r.ollama_models.join(', ') || '(none pulled)'}`)
    this.log(lines.join('\n'))
  }
}
