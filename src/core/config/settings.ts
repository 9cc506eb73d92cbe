import {DEFAULTS} from './defaults.js'
import {HOOK_EVENTS, type ConfigFile, type ConfigSettings, type GlobalSettings, type HookEvent, type ResolvedHooks, type ValueSource} from './types.js'

/** Per event, the first layer that mentions it wins: repo profile, repo file, user profile, user file. */
export function resolveHooks(files: ConfigFile[], profileName: string | undefined): ResolvedHooks {
  const layers: {s: Pick<ConfigSettings, 'hooks' | 'hooks_disabled'>; source: ValueSource}[] = []
  for (const f of files) {
    const p = profileName ? f.settings.profiles?.[profileName] : undefined
    if (p) layers.push({s: p, source: f.source})
    layers.push({s: f.settings, source: f.source})
  }
  const events = Object.fromEntries(HOOK_EVENTS.map((e) => [e, [] as string[]])) as Record<HookEvent, string[]>
  const sources: ResolvedHooks['sources'] = {}
  for (const e of HOOK_EVENTS) {
    const layer = layers.find((l) => l.s.hooks && e in l.s.hooks)
    if (!layer) continue
    events[e] = layer.s.hooks![e] ?? []
    sources[e] = layer.source
  }
  const off = layers.find((l) => l.s.hooks_disabled !== undefined)
  return {events, sources, disabled: off?.s.hooks_disabled ?? false, ...(off ? {disabledSource: off.source} : {})}
}

/** Settings outside profiles: the repository's file first, then the user's. */
export function resolveGlobals(files: ConfigFile[]): GlobalSettings {
  const telemetry = files.find((f) => f.settings.telemetry !== undefined)?.settings.telemetry ?? true
  const keep = files.find((f) => f.settings.gc?.keep !== undefined)?.settings.gc?.keep ?? DEFAULTS.gcKeep
  return {telemetry, gc: {keep}}
}
