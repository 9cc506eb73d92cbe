import {ConfigError} from '../errors/config-error.js'

/** Agent events a hook can run at. */
export const HOOK_EVENTS = ['on_edit', 'on_task_done', 'on_plan_step_done', 'on_session_start', 'on_session_end'] as const
export type HookEvent = (typeof HOOK_EVENTS)[number]

/** Hooks as written in config: one command or a list, per event. */
export type HookConfig = Partial<Record<HookEvent, string | string[] | null>>

/** Hooks normalised: every event with its list of commands (possibly empty). */
export type HookCommands = Record<HookEvent, string[]>

/** What each event is for (shown by `git pare hooks` and written as comments into config). */
export const HOOK_EVENT_HELP: Record<HookEvent, string> = {
  on_edit: 'after each file write/edit; output goes back to the model with the edit result',
  on_task_done: 'after an agent run completes',
  on_plan_step_done: 'after each verified plan step',
  on_session_start: 'when a session starts',
  on_session_end: 'when a session ends',
}

/** Every event with its commands; throws ConfigError for unknown events or values that are not commands. */
export function normalizeHooks(cfg: HookConfig | Record<string, unknown> | undefined | null): HookCommands {
  const out = Object.fromEntries(HOOK_EVENTS.map((e) => [e, [] as string[]])) as HookCommands
  if (cfg === undefined || cfg === null) return out
  if (typeof cfg !== 'object' || Array.isArray(cfg)) throw new ConfigError('hooks must be a mapping of event to command(s)', `events: ${HOOK_EVENTS.join(', ')}`, 'hooks_invalid')
  for (const [key, value] of Object.entries(cfg)) {
    if (!(HOOK_EVENTS as readonly string[]).includes(key)) {
      throw new ConfigError(`unknown hook event "${key}"`, `events: ${HOOK_EVENTS.join(', ')}`, 'hooks_unknown_event')
    }
    const list = value === null || value === undefined ? [] : Array.isArray(value) ? value : [value]
    if (!list.every((c) => typeof c === 'string')) throw new ConfigError(`hooks.${key} must be a command or a list of commands`, undefined, 'hooks_invalid')
    out[key as HookEvent] = (list as string[]).map((c) => c.trim()).filter(Boolean)
  }
  return out
}

export interface ResolvedHooks {
  enabled: boolean
  commands: HookCommands
  /** Why hooks are off (`hooks_disabled` in config, `--no-hooks`). */
  disabledBy?: string
  /** Commands from the repository's committed config left out until the user approves them. */
  untrusted?: string[]
}

/** Apply the kill switches: `hooks_disabled: true` in config wins, then `--no-hooks` for one run. */
export function resolveHooks(opts: {hooks?: HookConfig | HookCommands | null; disabled?: boolean; noHooks?: boolean}): ResolvedHooks {
  const commands = normalizeHooks(opts.hooks)
  if (opts.disabled) return {enabled: false, commands, disabledBy: 'hooks_disabled'}
  if (opts.noHooks) return {enabled: false, commands, disabledBy: '--no-hooks'}
  return {enabled: true, commands}
}

/** One line for a session start: `hooks on_edit: tsc --noEmit · on_task_done: npm run -s lint`. */
export function hooksSummary(h: ResolvedHooks): string {
  if (!h.enabled) return `hooks off (${h.disabledBy})`
  const parts = HOOK_EVENTS.filter((e) => h.commands[e].length).map((e) => `${e}: ${h.commands[e].join(' && ')}`)
  const waiting = h.untrusted?.length ? ` (${h.untrusted.length} from .parecode/config.yaml not approved: git pare hooks --trust)` : ''
  return (parts.length ? `hooks ${parts.join(' · ')}` : 'hooks: none') + waiting
}
