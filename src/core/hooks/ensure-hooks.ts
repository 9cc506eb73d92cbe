import {detectHooks} from './detect-hooks.js'
import {resolveHooks, type HookConfig, type ResolvedHooks} from './events.js'
import {readProjectHooks, writeHooksBlock} from './hooks-config.js'

export interface EnsuredHooks {
  hooks: ResolvedHooks
  /** config: from configuration; detected: found now (and written, see `wrote`); none: turned off. */
  source: 'config' | 'detected' | 'none'
  wrote: boolean
  reasons: string[]
}

/**
 * Hooks for a session. With hooks in config (the merged profile's, or the project file's) they are used as they
 * are; otherwise the project is detected once and the result written into `.parecode/config.yaml`, so detection
 * never repeats. `hooks_disabled` stops both.
 */
export async function ensureHooks(root: string, opts: {configured?: HookConfig | null; disabled?: boolean; noHooks?: boolean; env?: NodeJS.ProcessEnv} = {}): Promise<EnsuredHooks> {
  const project = await readProjectHooks(root)
  const disabled = opts.disabled ?? project.disabled
  const configured = opts.configured ?? project.hooks
  if (disabled) return {hooks: resolveHooks({hooks: configured, disabled: true}), source: 'none', wrote: false, reasons: []}
  if (configured !== undefined && configured !== null) return {hooks: resolveHooks({hooks: configured, noHooks: opts.noHooks}), source: 'config', wrote: false, reasons: []}
  const detected = await detectHooks(root, {env: opts.env})
  let wrote = false
  try {
    wrote = await writeHooksBlock(root, detected.commands, detected.reasons)
  } catch {
    // A read-only checkout still gets its detected hooks for this run.
  }
  return {hooks: resolveHooks({hooks: detected.commands, noHooks: opts.noHooks}), source: 'detected', wrote, reasons: detected.reasons}
}

/** The config loader's merged hooks (events, where each came from, kill switch) as `ensureHooks` options. */
export function hooksFromConfig(h: {events: Record<string, string[]>; sources: Partial<Record<string, unknown>>; disabled: boolean}): {configured?: HookConfig; disabled: boolean} {
  const configured = Object.keys(h.sources).length ? (h.events as HookConfig) : undefined
  return configured ? {configured, disabled: h.disabled} : {disabled: h.disabled}
}
