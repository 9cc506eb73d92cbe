import {ConfigError} from '../errors/config-error.js'
import {DEFAULTS} from '../config/defaults.js'
import {parseConfigText} from '../config/file.js'
import type {SetupChoice} from './choice.js'

/** The user config after setup: its new text, the profile it selects, and what changed. */
export interface ConfigEdit {
  text: string
  profile: string
  /** The file did not exist (or was empty). */
  created: boolean
  /** `profile:` selected another profile before (it stays defined). */
  replacedSelection?: string
  /** An identical profile was already there: it is selected, nothing else changes. */
  reused: boolean
}

interface ProfileValues {
  base_url: string
  model: string
  api_key_env?: string
  context_window?: number
}

/** The profile's keys: a context_window only when the model's is known to be below the default (the default would overflow it). */
export function profileValues(c: SetupChoice): ProfileValues {
  const v: ProfileValues = {base_url: c.baseUrl, model: c.model}
  if (c.keyEnv) v.api_key_env = c.keyEnv
  if (c.contextWindow && c.contextWindow < DEFAULTS.contextWindow) v.context_window = c.contextWindow
  return v
}

const KEY_COMMENT = 'the NAME of the variable holding your key; keys never go in this file'

function freshText(name: string, c: SetupChoice, v: ProfileValues, date: string): string {
  const lines = [
    `# git pare user configuration, written by \`git pare setup\` on ${date}.`,
    '# `git pare config` shows what is in effect and where each value comes from; `git pare config --help` lists the keys.',
    '# API keys are never read from this file: a profile names the environment variable that holds one (api_key_env).',
    '',
    '# The profile used unless --profile or PARECODE_PROFILE picks another.',
    `profile: ${name}`,
    '',
    'profiles:',
    `  # ${c.model} on ${c.where}${c.local ? ' (this machine)' : ''}`,
    `  ${name}:`,
    `    base_url: ${v.base_url}`,
    `    model: ${JSON.stringify(v.model)}`,
  ]
  if (v.api_key_env) lines.push(`    api_key_env: ${v.api_key_env}   # ${KEY_COMMENT}`)
  if (v.context_window) lines.push(`    context_window: ${v.context_window}   # what the model supports; the default (${DEFAULTS.contextWindow}) would not fit`)
  else lines.push(`    # context_window: ${DEFAULTS.contextWindow}   # tokens the model may see per request (the default); raise it if your model and server allow more`)
  if (c.local) lines.push('    # planner_model: …   # a stronger model for `git pare plan`, if you have one')
  return lines.join('\n') + '\n'
}

const same = (a: Record<string, unknown> | undefined, v: ProfileValues) =>
  Boolean(a) && a!.base_url === v.base_url && String(a!.model) === v.model && (a!.api_key_env ?? undefined) === v.api_key_env

/**
 * The user config with the chosen profile added and selected. Existing text is edited in place through the YAML
 * document (its comments and other settings stay); a profile of the same name with other values is never replaced:
 * the new one gets a free name (`ollama-2`). Text that does not validate is refused, before and after.
 */
export async function editUserConfig(existing: string | undefined, c: SetupChoice, opts: {display: string; date: string}): Promise<ConfigEdit> {
  const values = profileValues(c)
  if (!existing?.trim()) {
    const text = freshText(c.profile, c, values, opts.date)
    await parseConfigText(text, opts.display)
    return {text, profile: c.profile, created: true, reused: false}
  }
  // Refuse to touch a file that is broken now: the user fixes it first (ConfigError names the line).
  const settings = await parseConfigText(existing, opts.display)
  const yaml = await import('yaml')
  const doc = yaml.parseDocument(existing, {keepSourceTokens: true})
  const profiles = settings.profiles ?? {}
  let name = Object.entries(profiles).find(([, p]) => same(p as Record<string, unknown>, values))?.[0]
  const reused = Boolean(name)
  if (!name) {
    name = c.profile
    for (let i = 2; Object.hasOwn(profiles, name); i++) name = `${c.profile}-${i}`
    let map = doc.get('profiles', true)
    if (!yaml.isMap(map)) {
      map = doc.createNode({})
      doc.set('profiles', map)
    }
    const node = doc.createNode(values) as import('yaml').YAMLMap
    const keyPair = node.items.find((p) => yaml.isScalar(p.key) && p.key.value === 'api_key_env')
    if (keyPair && yaml.isScalar(keyPair.value)) keyPair.value.comment = ` ${KEY_COMMENT}`
    const pair = doc.createPair(name, node)
    if (yaml.isScalar(pair.key)) pair.key.commentBefore = ` ${c.model} on ${c.where}, added by \`git pare setup\` on ${opts.date}`
    ;(map as import('yaml').YAMLMap).items.push(pair)
  }
  const before = settings.profile
  doc.set('profile', name)
  const text = doc.toString()
  const check = await parseConfigText(text, opts.display)
  if (check.profile !== name || !same(check.profiles?.[name] as Record<string, unknown>, values)) {
    throw new ConfigError(`could not add the profile to ${opts.display} safely`, `add it by hand (see \`git pare config --help\`)`, 'setup_merge')
  }
  return {text, profile: name, created: false, reused, ...(before && before !== name ? {replacedSelection: before} : {})}
}
