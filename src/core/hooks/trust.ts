import {createHash} from 'node:crypto'
import {mkdir, readFile, rename, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {git} from '../store/git.js'
import {HOOK_EVENTS, normalizeHooks, type HookCommands, type HookConfig} from './events.js'
import type {ProjectHookSettings} from './hooks-config.js'

// A clone must not run commands its committed .parecode/config.yaml names until the user says so (like `direnv allow`).
// Approvals live in the git dir, which is never committed or cloned.

const hash = (command: string) => createHash('sha256').update(command.trim()).digest('hex').slice(0, 32)

/** Where approvals are kept: shared by the repository's worktrees. */
export async function trustFilePath(root: string): Promise<string> {
  const res = await git(['rev-parse', '--git-common-dir'], {cwd: root})
  return path.join(path.resolve(root, res.stdout.trim()), 'parecode', 'trusted-hooks.json')
}

async function load(file: string): Promise<Set<string>> {
  try {
    const data = JSON.parse(await readFile(file, 'utf8')) as {commands?: unknown}
    return new Set(Array.isArray(data.commands) ? data.commands.filter((c): c is string => typeof c === 'string') : [])
  } catch {
    return new Set()
  }
}

/** Every command the repository's own config file names (top level and profiles). */
export function repoFileCommands(settings: ProjectHookSettings): Set<string> {
  const out = new Set<string>()
  const add = (h: HookConfig | undefined) => {
    let cmds: HookCommands
    try {
      cmds = normalizeHooks(h)
    } catch {
      return
    }
    for (const e of HOOK_EVENTS) for (const c of cmds[e]) out.add(c)
  }
  add(settings.hooks)
  for (const p of Object.values(settings.profiles)) add(p.hooks)
  return out
}

/** Record commands as approved for this repository. */
export async function trustCommands(root: string, commands: Iterable<string>): Promise<void> {
  const file = await trustFilePath(root)
  const set = await load(file)
  for (const c of commands) set.add(hash(c))
  await mkdir(path.dirname(file), {recursive: true})
  const tmp = `${file}.${process.pid}.tmp`
  await writeFile(tmp, JSON.stringify({v: 1, commands: [...set].sort()}, null, 1))
  await rename(tmp, file)
}

/** The commands of `fromRepoFile` that were never approved. */
export async function untrustedCommands(root: string, fromRepoFile: Iterable<string>): Promise<string[]> {
  const list = [...fromRepoFile]
  if (!list.length) return []
  const set = await load(await trustFilePath(root))
  return list.filter((c) => !set.has(hash(c)))
}

/** Hooks without the commands that are not approved. */
export function withoutCommands(commands: HookCommands, drop: string[]): HookCommands {
  if (!drop.length) return commands
  const out = {...commands}
  for (const e of HOOK_EVENTS) out[e] = commands[e].filter((c) => !drop.includes(c))
  return out
}
