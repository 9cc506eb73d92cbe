import type {HookCommands} from './events.js'
import {HOOK_EVENTS} from './events.js'
import type {ProjectFacts} from './project-facts.js'
import {ProjectFiles} from './project-files.js'
import {detectProject} from './project.js'

export interface DetectedHooks {
  commands: HookCommands
  /** Why each command was chosen: `tsconfig.json -> tsc --noEmit`. */
  reasons: string[]
}

/**
 * Default hooks for a repository from its markers: tsconfig.json -> the project's own tsc; Cargo.toml ->
 * cargo check; go.mod -> go build; pyproject/setup.py with ruff installed -> ruff check; a package.json lint script.
 */
export async function detectHooks(root: string, opts: {env?: NodeJS.ProcessEnv; facts?: ProjectFacts; files?: ProjectFiles} = {}): Promise<DetectedHooks> {
  const f = opts.files ?? (await ProjectFiles.load(root, opts.env))
  const facts = opts.facts ?? (await detectProject(f))
  const commands = Object.fromEntries(HOOK_EVENTS.map((e) => [e, [] as string[]])) as HookCommands
  const reasons: string[] = []
  const add = (event: keyof HookCommands, command: string, why: string) => {
    if (commands[event].includes(command)) return
    commands[event].push(command)
    reasons.push(`${why} -> ${event}: ${command}`)
  }
  const tsc = facts.typecheck.find((c) => c.tool === 'tsc')
  if (tsc) add('on_edit', tsc.command, 'tsconfig.json')
  if (f.exists('Cargo.toml')) {
    add('on_edit', 'cargo check -q', 'Cargo.toml')
    add('on_task_done', 'cargo test -q 2>&1 | tail -5', 'Cargo.toml')
  }
  if (f.exists('go.mod')) add('on_edit', 'go build ./...', 'go.mod')
  if (f.first('pyproject.toml', 'setup.py')) {
    const ruff = f.which('ruff')
    if (ruff) add('on_edit', `${ruff} check .`, `${f.first('pyproject.toml', 'setup.py')} + ruff`)
  }
  const pkg = f.json('package.json')
  const scripts = (pkg?.scripts ?? {}) as Record<string, unknown>
  if (typeof scripts.lint === 'string') {
    const pm = facts.packageManager ?? 'npm'
    const cmd = pm === 'npm' ? 'npm run -s lint' : pm === 'bun' ? 'bun run lint' : `${pm} -s lint`
    // A lint script that is the type check itself is already on_edit; without a type check, lint is the edit check.
    if (!(tsc && /\btsc\b/.test(scripts.lint) && !/eslint|biome/.test(scripts.lint))) add(tsc ? 'on_task_done' : 'on_edit', cmd, 'package.json lint script')
  }
  return {commands, reasons}
}
