import {mkdir, readFile, rename, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {ConfigError} from '../errors/config-error.js'
import {HOOK_EVENT_HELP, HOOK_EVENTS, type HookCommands, type HookConfig, type HookEvent} from './events.js'

/** The repository's own config file. */
export function projectConfigPath(root: string): string {
  return path.join(root, '.parecode', 'config.yaml')
}

export interface ProjectHookSettings {
  /** The top-level `hooks:` mapping; undefined when the file has none (detection has not run yet). */
  hooks?: HookConfig
  disabled: boolean
  /** Profile name -> its own `hooks:` / `hooks_disabled:`. */
  profiles: Record<string, {hooks?: HookConfig; disabled?: boolean}>
}

/** Read `hooks:` and `hooks_disabled:` (top level and per profile) from `.parecode/config.yaml`. */
export async function readProjectHooks(root: string): Promise<ProjectHookSettings> {
  const file = projectConfigPath(root)
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch {
    return {disabled: false, profiles: {}}
  }
  const {parse} = await import('yaml')
  let data: unknown
  try {
    data = parse(text)
  } catch (err) {
    throw new ConfigError(`${path.relative(root, file)}: ${(err as Error).message.split('\n')[0]}`, 'fix the YAML syntax', 'config_yaml')
  }
  const obj = (v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined)
  const top = obj(data) ?? {}
  const profiles: ProjectHookSettings['profiles'] = {}
  for (const [name, p] of Object.entries(obj(top.profiles) ?? {})) {
    const po = obj(p)
    if (po && ('hooks' in po || 'hooks_disabled' in po)) profiles[name] = {hooks: (po.hooks ?? undefined) as HookConfig | undefined, disabled: po.hooks_disabled === true}
  }
  return {hooks: 'hooks' in top ? ((top.hooks ?? {}) as HookConfig) : undefined, disabled: top.hooks_disabled === true, profiles}
}

/**
 * Write a `hooks:` block into `.parecode/config.yaml` (created when missing) with every event shown: detected
 * commands active, the others commented. Existing content and comments are kept. Does nothing when the file
 * already has a top-level `hooks:` key; returns whether it wrote.
 */
export async function writeHooksBlock(root: string, commands: HookCommands, reasons: string[] = []): Promise<boolean> {
  const file = projectConfigPath(root)
  let text = ''
  try {
    text = await readFile(file, 'utf8')
  } catch {
    // A new file.
  }
  const YAML = await import('yaml')
  const doc = YAML.parseDocument(text)
  if (doc.errors.length) throw new ConfigError(`${path.relative(root, file)}: ${doc.errors[0]!.message.split('\n')[0]}`, 'fix the YAML syntax', 'config_yaml')
  if (doc.contents && !YAML.isMap(doc.contents)) throw new ConfigError(`${path.relative(root, file)}: the top level must be a mapping`, undefined, 'config_yaml')
  if (YAML.isMap(doc.contents) && doc.contents.has('hooks')) return false
  if (!doc.contents) doc.contents = doc.createNode({}) as never
  const map = new YAML.YAMLMap()
  const unused: HookEvent[] = []
  for (const e of HOOK_EVENTS) {
    const list = commands[e]
    if (list.length) map.add(doc.createPair(e, list.length === 1 ? list[0] : list))
    else unused.push(e)
  }
  const pair = doc.createPair('hooks', map)
  const why = reasons.length ? `detected: ${reasons.join('; ')}` : 'nothing detected'
  const key = pair.key as {commentBefore?: string; spaceBefore?: boolean}
  key.commentBefore = [
    ' Hooks: shell commands run from the repository root at agent events; on_edit output goes back to the model',
    ` with the edit's result. Written once by git pare (${why}).`,
    ' Off: hooks_disabled: true (here or in a profile), or --no-hooks for one run.',
  ].join('\n')
  key.spaceBefore = Boolean(doc.contents && (doc.contents as {items?: unknown[]}).items?.length)
  if (unused.length) {
    const comment = unused.map((e) => ` ${e}: ""   # ${HOOK_EVENT_HELP[e]}`).join('\n')
    // An empty block still shows every event, as comments under `hooks: {}`.
    map.comment = comment
  }
  ;(doc.contents as InstanceType<typeof YAML.YAMLMap>).items.push(pair)
  await mkdir(path.dirname(file), {recursive: true})
  const tmp = `${file}.${process.pid}.tmp`
  await writeFile(tmp, doc.toString())
  await rename(tmp, file)
  return true
}
