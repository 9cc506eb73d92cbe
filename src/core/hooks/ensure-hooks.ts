import {detectHooks} from './detect-hooks.js'
import {resolveHooks, type HookConfig, type ResolvedHooks} from './events.js'
import {readProjectHooks, writeHooksBlock} from './hooks-config.js'
import {repoFileCommands, trustCommands, untrustedCommands, withoutCommands} from './trust.js'

export interface EnsuredHooks {
  hooks: ResolvedHooks
  /** config: from configuration; detected: found now (and written, see `wrote`); none: turned off. */
  source: 'config' | 'detected' | 'none'
  wrote: boolean
  reasons: string[]
  /** Commands from the repository's committed config that are not approved yet: they do not run. */
  untrusted: string[]
}

/** One line telling the user how to approve hooks from the repository's config. */
export function untrustedNote(untrusted: string[]): string | undefined {
  if (!untrusted.length) return undefined
  return `not running hooks from .parecode/config.yaml that you have not approved (${untrusted.map((c) => `\`${c}\``).join(', ')}): check them, then run \`git pare hooks --trust\``
}

/**
 * Hooks for a session. With hooks in config (the merged profile's, or the project file's) they are used as they
 * are, except commands from the repository's committed config that the user has not approved (`git pare hooks
 * --trust`): a cloned repository must not run commands on its own. Otherwise the project is detected once and
 * the result written into `.parecode/config.yaml` (and approved), so detection never repeats. `hooks_disabled`
 * stops both.
 */
export async function ensureHooks(root: string, opts: {configured?: HookConfig | null; disabled?: boolean; noHooks?: boolean; env?: NodeJS.ProcessEnv; writeEmpty?: boolean} = {}): Promise<EnsuredHooks> {
  const project = await readProjectHooks(root)
  const disabled = opts.disabled ?? project.disabled
  const configured = opts.configured ?? project.hooks
  if (disabled) return {hooks: resolveHooks({hooks: configured, disabled: true}), source: 'none', wrote: false, reasons: [], untrusted: []}
  if (configured !== undefined && configured !== null) {
    const hooks = resolveHooks({hooks: configured, noHooks: opts.noHooks})
    const fromRepo = repoFileCommands(project)
    const inUse = [...new Set(Object.values(hooks.commands).flat())].filter((c) => fromRepo.has(c))
    const untrusted = await untrustedCommands(root, inUse).catch(() => inUse)
    return {hooks: {...hooks, commands: withoutCommands(hooks.commands, untrusted), ...(untrusted.length ? {untrusted} : {})}, source: 'config', wrote: false, reasons: [], untrusted}
  }
  const detected = await detectHooks(root, {env: opts.env})
  let wrote = false
  // Nothing detected: detection is a few stat calls, so repeat it next time rather than leave a file of comments
  // in the user's work tree (it would show up in git status and in the first plan step).
  // `git pare init` asks for the file (writeEmpty); implicit first use does not.
  if (!opts.writeEmpty && !Object.values(detected.commands).some((c) => c.length)) return {hooks: resolveHooks({hooks: detected.commands, noHooks: opts.noHooks}), source: 'detected', wrote, reasons: detected.reasons, untrusted: []}
  try {
    wrote = await writeHooksBlock(root, detected.commands, detected.reasons)
    // We wrote these ourselves from the project's markers: approved.
    if (wrote) await trustCommands(root, Object.values(detected.commands).flat())
  } catch {
    // A read-only checkout still gets its detected hooks for this run.
  }
  return {hooks: resolveHooks({hooks: detected.commands, noHooks: opts.noHooks}), source: 'detected', wrote, reasons: detected.reasons, untrusted: []}
}

/** The config loader's merged hooks (events, where each came from, kill switch) as `ensureHooks` options. */
export function hooksFromConfig(h: {events: Record<string, string[]>; sources: Partial<Record<string, unknown>>; disabled: boolean}): {configured?: HookConfig; disabled: boolean} {
  const configured = Object.keys(h.sources).length ? (h.events as HookConfig) : undefined
  return configured ? {configured, disabled: h.disabled} : {disabled: h.disabled}
}
