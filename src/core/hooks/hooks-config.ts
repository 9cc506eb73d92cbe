import {readRepoFile, writeRepoFile} from '../fs/repo-file.js'
import {REPO_CONFIG_MAX_BYTES} from '../config/repo-file.js'
import path from 'node:path'
import {ConfigError} from '../errors/config-error.js'
import {HOOK_EVENT_HELP, HOOK_EVENTS, type HookCommands, type HookEvent} from './events.js'

/** The repository's own config file. */
export function projectConfigPath(root: string): string {
  return path.join(root, '.parecode', 'config.yaml')
}

/**
 * Write a `hooks:` block into `.parecode/config.yaml` (created when missing) with every event shown: detected
 * commands active, the others commented. Existing content and comments are kept. Does nothing when the file
 * already has a top-level `hooks:` key; returns the text written, or undefined when it wrote nothing.
 */
export async function writeHooksBlock(root: string, commands: HookCommands, reasons: string[] = []): Promise<string | undefined> {
  const file = projectConfigPath(root)
  const rel = path.relative(root, file)
  const read = await readRepoFile(root, rel, {maxBytes: REPO_CONFIG_MAX_BYTES})
  if (!read.ok && !read.missing) throw new ConfigError(`not writing hooks into ${rel}: ${read.reason}`, 'make .parecode/config.yaml a plain file in the repository', 'config_unsafe')
  const text = read.ok ? read.content.toString('utf8') : ''
  const YAML = await import('yaml')
  const doc = YAML.parseDocument(text)
  if (doc.errors.length) throw new ConfigError(`${path.relative(root, file)}: ${doc.errors[0]!.message.split('\n')[0]}`, 'fix the YAML syntax', 'config_yaml')
  if (doc.contents && !YAML.isMap(doc.contents)) throw new ConfigError(`${path.relative(root, file)}: the top level must be a mapping`, undefined, 'config_yaml')
  if (YAML.isMap(doc.contents) && doc.contents.has('hooks')) return undefined
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
  const out = doc.toString()
  // Never through a symlink: a .parecode that points at the user's config folder must not get our hooks.
  await writeRepoFile(root, rel, out).catch((err: Error) => {
    throw new ConfigError(err.message, 'make .parecode/config.yaml a plain file in the repository', 'config_unsafe')
  })
  return out
}
