import {Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import {snakeKeys} from '../cli/json-keys.js'
import type {HookEvent} from '../core/hooks/events.js'
import type {ProjectFacts} from '../core/hooks/project-facts.js'

export interface InitCommandResult {
  conventions: {path: string; action: 'created' | 'updated' | 'unchanged'; content: string}
  /** The project facts, with snake_case keys (test_layout, agent_docs, package_manager). */
  project: Record<string, unknown>
  hooks: {source: 'config' | 'detected' | 'none'; wrote: boolean; path: string; commands: Record<HookEvent, string[]>; reasons: string[]; untrusted: string[]}
}

export default class Init extends BaseCommand {
  static summary = 'Prime the project context: write .parecode/conventions.md and the hooks, without a model call'
  static description = `Reads the README, package manifests (package.json, pyproject.toml, Cargo.toml, go.mod, pom.xml), linter and formatter configs (ESLint, Prettier, Biome, Ruff, Black, rustfmt, golangci, .editorconfig) and the test layout, and writes what it learns (language, test, lint and format commands, style rules, key dependencies) into a marked section of .parecode/conventions.md. Text you add outside that section is kept; --force rewrites the section. AGENTS.md and CLAUDE.md are left as they are: they are loaded next to the conventions.

When no hooks are configured it also writes the detected ones (see \`git pare hooks\`) into .parecode/config.yaml, keeping what is there.`

  static examples = ['<%= config.bin %> init', '<%= config.bin %> init --force', '<%= config.bin %> init --json']

  static flags = {
    force: Flags.boolean({description: 'rewrite the generated section of .parecode/conventions.md'}),
  }

  async run(): Promise<InitCommandResult> {
    const {flags} = await this.parse(Init)
    const repo = await this.repo()
    const [{writeConventions}, {ensureHooks, hooksFromConfig}, {loadConfig}] = await Promise.all([
      import('../core/hooks/conventions.js'),
      import('../core/hooks/ensure-hooks.js'),
      import('../core/config/load.js'),
    ])
    const conv = await writeConventions(repo.root, {force: flags.force})
    const loaded = await loadConfig({cwd: process.cwd(), repoRoot: repo.root, env: {...process.env, PARECODE_NO_OLLAMA_PROBE: '1'}})
    for (const w of loaded.warnings) this.note(w)
    const hooks = await ensureHooks(repo.root, {...hooksFromConfig(loaded.hooks), writeEmpty: true, env: process.env, repoConfig: loaded.repoTrust})
    const result: InitCommandResult = {
      conventions: {path: conv.path, action: conv.action, content: conv.content},
      project: snakeKeys(conv.facts) as Record<string, unknown>,
      hooks: {source: hooks.source, wrote: hooks.wrote, path: '.parecode/config.yaml', commands: hooks.hooks.commands, reasons: hooks.reasons, untrusted: hooks.untrusted},
    }
    if (!this.jsonEnabled()) this.log(render(result, conv.facts, flags.force))
    return result
  }
}

function render(r: InitCommandResult, f: ProjectFacts, force: boolean): string {
  const lines = [
    r.conventions.action === 'unchanged'
      ? force
        ? `${r.conventions.path} is up to date`
        : `kept (use --force to regenerate) ${r.conventions.path}`
      : `${r.conventions.action === 'created' ? 'wrote' : 'updated'} ${r.conventions.path}`,
  ]
  lines.push(`  language: ${f.languages.join(', ') || 'unknown'}`)
  lines.push(`  test:     ${f.test.map((c) => c.command).join('; ') || 'not found'}`)
  lines.push(`  lint:     ${f.lint.map((c) => c.command).join('; ') || 'not found'}`)
  if (f.agentDocs.length) lines.push(`  ${f.agentDocs.join(' and ')} kept as they are (loaded too)`)
  const active = Object.entries(r.hooks.commands).filter(([, c]) => c.length).map(([e, c]) => `${e}: ${c.join(' && ')}`)
  if (r.hooks.source === 'none') lines.push('hooks are disabled (hooks_disabled)')
  else if (r.hooks.wrote) lines.push(`wrote hooks to ${r.hooks.path}${active.length ? ` (${active.join('; ')})` : ' (none detected; every event is listed there, commented)'}`)
  else if (r.hooks.source === 'config') lines.push(`hooks already configured${active.length ? ` (${active.join('; ')})` : ''}`)
  else lines.push(`hooks detected but not written${active.length ? ` (${active.join('; ')})` : ''}`)
  if (r.hooks.untrusted.length) lines.push(`not approved, so not run: ${r.hooks.untrusted.map((c) => `\`${c}\``).join(', ')} (review them with \`git pare trust\`)`)
  lines.push('Review and edit .parecode/conventions.md: it goes into every system prompt.')
  return lines.join('\n')
}
