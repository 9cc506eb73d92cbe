import {DEFAULTS} from './defaults.js'
import {ConfigError} from '../errors/config-error.js'
import {APPROVAL_POLICIES} from './schema.js'
import {HOOK_EVENTS, type ApprovalPolicy, type ConfigFile, type ConfigSettings, type GlobalSettings, type HookEvent, type ResolvedHooks, type SecuritySettings, type ValueSource} from './types.js'

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
    const layer = layers.find((l) => l.s.hooks && Object.hasOwn(l.s.hooks, e))
    if (!layer) continue
    events[e] = layer.s.hooks![e] ?? []
    sources[e] = layer.source
  }
  // Turning hooks off is the user's call: a repository can turn them off too, but its `false` never undoes the user's `true`.
  const userOff = layers.find((l) => l.source.startsWith('user:') && l.s.hooks_disabled !== undefined)
  const repoOff = layers.find((l) => !l.source.startsWith('user:') && l.s.hooks_disabled === true)
  const off = userOff?.s.hooks_disabled ? userOff : (repoOff ?? userOff)
  const declaredBy = layers.find((l) => l.s.hooks !== undefined)?.source
  return {events, sources, disabled: off?.s.hooks_disabled ?? false, ...(off ? {disabledSource: off.source} : {}), ...(declaredBy ? {declaredBy} : {})}
}

/** Settings outside profiles: the repository's file first, then the user's. Permissions come from the user alone. */
export function resolveGlobals(
  files: ConfigFile[],
  opts: {env?: Record<string, string | undefined>; approvalFlag?: string; warnings?: string[]} = {},
): GlobalSettings {
  const telemetry = files.find((f) => f.settings.telemetry !== undefined)?.settings.telemetry ?? true
  const keep = files.find((f) => f.settings.gc?.keep !== undefined)?.settings.gc?.keep ?? DEFAULTS.gcKeep
  return {telemetry, gc: {keep}, security: resolveSecurity(files, opts)}
}

const PERMISSION_KEYS = ['approval', 'sandbox', 'bash_allow', 'sessions'] as const

/** The permissions the model's commands get: flag > PARECODE_APPROVAL > the user's config; a repository's file is ignored (with a warning). */
export function resolveSecurity(files: ConfigFile[], opts: {env?: Record<string, string | undefined>; approvalFlag?: string; warnings?: string[]} = {}): SecuritySettings {
  const user = files.find((f) => f.scope === 'user')
  for (const f of files) {
    if (f.scope !== 'repo') continue
    const set = PERMISSION_KEYS.filter((k) => f.settings[k] !== undefined)
    if (set.length) opts.warnings?.push(`ignored ${set.join(', ')} in ${f.display}: permissions are read only from your user config, flags and environment`)
  }
  const pick = (value: string | undefined, where: string): ApprovalPolicy | undefined => {
    const v = value?.trim()
    if (!v) return undefined
    if (!(APPROVAL_POLICIES as readonly string[]).includes(v)) throw new ConfigError(`${where} must be one of ${APPROVAL_POLICIES.join(', ')}, not "${v}"`, 'auto: run commands (sandboxed where possible); ask: ask first; never: only allowlisted commands', 'bad_approval')
    return v as ApprovalPolicy
  }
  const flag = pick(opts.approvalFlag, '--approval')
  const fromEnv = pick(opts.env?.PARECODE_APPROVAL, 'PARECODE_APPROVAL')
  const s = user?.settings
  const [approval, approvalSource] = flag ? [flag, 'flag'] : fromEnv ? [fromEnv, 'env:PARECODE_APPROVAL'] : s?.approval ? [s.approval, user!.source] : [undefined, 'default']
  const sandboxOff = /^(0|false|no|off)$/i.test(opts.env?.PARECODE_SANDBOX ?? '')
  return {
    ...(approval ? {approval} : {}),
    approvalSource,
    sandbox: sandboxOff ? false : (s?.sandbox?.enabled ?? true),
    network: s?.sandbox?.network ?? false,
    bashAllow: (s?.bash_allow ?? []).map((c) => c.trim()).filter(Boolean),
    sessionSecretFiles: s?.sessions?.secret_files ?? false,
  }
}
