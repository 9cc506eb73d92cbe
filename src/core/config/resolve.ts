import {ConfigError} from '../errors/config-error.js'
import {DEFAULTS, PROVIDERS} from './defaults.js'
import {resolveGlobals, resolveHooks} from './settings.js'
import type {OllamaProbe} from './ollama.js'
import {resolveMcp, type McpSettings} from '../mcp/config.js'
import {
  type ConfigFile,
  type GlobalSettings,
  type ProfileSettings,
  type ResolvedHooks,
  type ResolvedProfile,
  type ValueSource,
} from './types.js'

/** The shared `--profile`, `--model`, `--base-url` flags, as parsed. */
export interface ModelFlagValues {
  profile?: string
  model?: string
  baseUrl?: string
  /** `--approval auto|ask|never`. */
  approval?: string
}

export type Env = Record<string, string | undefined>

export interface ResolveInput {
  user?: ConfigFile
  repo?: ConfigFile
  env: Env
  flags?: ModelFlagValues
  /** What a local Ollama answered, when it was probed. */
  ollama?: OllamaProbe
}

export interface Resolution {
  profile: ResolvedProfile
  hooks: ResolvedHooks
  settings: GlobalSettings
  /** Every profile name defined in either file. */
  profiles: string[]
  /** Things the user should know (an unset api_key_env, a key sent to a host named by the repository). */
  warnings: string[]
  /** MCP servers (`mcp_servers`) and the schema token cap. */
  mcp: McpSettings
}

interface Found<T> {
  value: T
  source: ValueSource
}

const env = (e: Env, name: string): string | undefined => {
  const v = e[name]?.trim()
  return v ? v : undefined
}

/** A part of a URL, lower-cased; undefined when there is no URL or it does not parse. */
function urlPart(url: string | undefined, part: 'hostname' | 'origin'): string | undefined {
  if (!url) return undefined
  try {
    return new URL(url)[part].toLowerCase()
  } catch {
    return undefined
  }
}

const hostOf = (url: string | undefined) => urlPart(url, 'hostname')
const originOf = (url: string | undefined) => urlPart(url, 'origin')

const isLoopback = (host: string | undefined) => host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host ?? '')

/**
 * May the key in variable `name` go to `baseUrl`? Yes when the user chose the endpoint (a flag, their environment, their
 * config), when it is the key's own provider, or when the user's config names this endpoint with this key. An endpoint a
 * repository named otherwise gets a key only if it turns out to be this machine ('loopback': checked on the resolved
 * address when connecting, not on the host name's text).
 */
export function keyConsent(o: {name: string; baseUrl?: string; urlSource?: ValueSource; user?: ConfigFile; providerKeyEnv?: string}): 'yes' | 'loopback' | 'no' {
  const src = o.urlSource ?? ''
  if (src === 'flag' || src.startsWith('env:') || src.startsWith('user:')) return 'yes'
  if (o.providerKeyEnv === o.name) return 'yes'
  const origin = originOf(o.baseUrl)
  const named = Object.values(o.user?.settings.profiles ?? {}).some(
    (p) => originOf(p.base_url) === origin && (p.api_key_env === o.name || (o.name === 'PARECODE_API_KEY' && !p.api_key_env)),
  )
  if (named) return 'yes'
  // Only an address that is this machine by itself (127.0.0.0/8, ::1) or localhost, which the client pins to a loopback
  // address when it connects; a name such as 127.example.com can resolve anywhere.
  return (src.startsWith('repo:') || src === 'ollama') && isLoopback(hostOf(o.baseUrl)) ? 'loopback' : 'no'
}

/** Which profile is selected, and from where; throws ConfigError for a name no file defines. */
function selectProfile(input: ResolveInput, known: string[], warnings: string[]): {name: string; source: ValueSource; defined: boolean} {
  const choices: [string | undefined, ValueSource][] = [
    [input.flags?.profile?.trim() || undefined, 'flag'],
    [env(input.env, 'PARECODE_PROFILE'), 'env:PARECODE_PROFILE'],
    [input.repo?.settings.profile, input.repo?.source ?? ''],
    [input.user?.settings.profile, input.user?.source ?? ''],
  ]
  for (const [name, source] of choices) {
    if (name === undefined) continue
    if (!known.includes(name)) {
      const where = source === 'flag' ? '--profile' : source
      throw new ConfigError(
        known.length ? `unknown profile "${name}" (from ${where}); known profiles: ${known.join(', ')}` : `unknown profile "${name}" (from ${where}); no profiles are configured`,
        'define it under `profiles:` in ~/.config/parecode/config.yaml or .parecode/config.yaml, or pick a known one',
        'unknown_profile',
      )
    }
    return {name, source, defined: true}
  }
  if (known.includes('default')) return {name: 'default', source: 'default', defined: true}
  if (known.length === 1) return {name: known[0]!, source: 'default', defined: true}
  if (known.length > 1) warnings.push(`${known.length} profiles are configured but none is selected (${known.join(', ')}): set \`profile: <name>\` or pass --profile`)
  return {name: 'default', source: 'default', defined: false}
}

/** Resolve the profile, hooks and settings from files, environment and flags; pure (no I/O). */
export function resolveProfile(input: ResolveInput): Resolution {
  const warnings: string[] = []
  const files = [input.repo, input.user].filter((f): f is ConfigFile => Boolean(f))
  const known = [...new Set(files.flatMap((f) => Object.keys(f.settings.profiles ?? {})))].sort()
  const selected = selectProfile(input, known, warnings)

  // Profile layers, highest first: the repository's file, then the user's.
  const layers: {settings: ProfileSettings; source: ValueSource}[] = files.flatMap((f) => {
    const p = selected.defined ? f.settings.profiles?.[selected.name] : undefined
    return p ? [{settings: p, source: f.source}] : []
  })
  const fromFiles = <K extends keyof ProfileSettings>(key: K): Found<NonNullable<ProfileSettings[K]>> | undefined => {
    for (const l of layers) {
      const v = l.settings[key]
      if (v !== undefined && v !== null) return {value: v as NonNullable<ProfileSettings[K]>, source: l.source}
    }
    return undefined
  }
  const nested = <K extends 'model_routes' | 'edit_format' | 'timeouts'>(key: K, sub: string): Found<unknown> | undefined => {
    for (const l of layers) {
      const v = (l.settings[key] as Record<string, unknown> | undefined)?.[sub]
      if (v !== undefined && v !== null) return {value: v, source: l.source}
    }
    return undefined
  }

  const sources: Record<string, ValueSource> = {name: selected.source}
  const first = <T>(field: string, ...candidates: (Found<T> | undefined)[]): T | undefined => {
    const hit = candidates.find((c) => c !== undefined)
    if (hit) sources[field] = hit.source
    return hit?.value
  }
  const flagged = <T>(value: T | undefined): Found<T> | undefined => (value === undefined || value === '' ? undefined : {value, source: 'flag'})
  const fromEnv = (name: string): Found<string> | undefined => {
    const v = env(input.env, name)
    return v === undefined ? undefined : {value: v, source: `env:${name}`}
  }

  // Endpoint: flags > env > files > a provider key found in the environment > a local Ollama.
  const urlFlag = flagged(input.flags?.baseUrl?.trim())
  const urlEnv = fromEnv('PARECODE_BASE_URL')
  for (const u of [urlFlag, urlEnv]) {
    if (u && !/^https?:\/\/[^\s/]+/.test(u.value)) {
      throw new ConfigError(`${u.source === 'flag' ? '--base-url' : 'PARECODE_BASE_URL'} must be an http(s) URL, not "${u.value}"`, 'for example http://127.0.0.1:11434/v1', 'bad_base_url')
    }
  }
  let baseUrl = first<string>('baseUrl', urlFlag, urlEnv, fromFiles('base_url'))
  let detectedProvider: (typeof PROVIDERS)[number] | undefined
  if (!baseUrl) {
    // Only one provider key decides the endpoint; with both set, OpenAI is the plainer default.
    detectedProvider = PROVIDERS.find((p) => env(input.env, p.keyEnv))
    if (detectedProvider) baseUrl = first<string>('baseUrl', {value: detectedProvider.baseUrl, source: `env:${detectedProvider.keyEnv}`})
  }
  let model = first<string>('model', flagged(input.flags?.model?.trim()), fromEnv('PARECODE_MODEL'), fromFiles('model'))
  if (!model && detectedProvider) model = first<string>('model', {value: detectedProvider.defaultModel, source: 'default'})
  if (input.ollama && (!baseUrl || sameLocalServer(baseUrl, input.ollama.baseUrl))) {
    if (!baseUrl) baseUrl = first<string>('baseUrl', {value: input.ollama.baseUrl, source: 'ollama'})
    if (!model && input.ollama.model) model = first<string>('model', {value: input.ollama.model, source: 'ollama'})
  }

  // The key comes from the environment only: PARECODE_API_KEY, the user's api_key_env, or the provider's usual variable.
  // A repository never chooses which variable becomes a credential, nor where one goes (see keyConsent).
  const userProfile = selected.defined ? input.user?.settings.profiles?.[selected.name] : undefined
  const repoProfile = selected.defined ? input.repo?.settings.profiles?.[selected.name] : undefined
  if (repoProfile?.api_key_env) warnings.push(`ignored api_key_env in ${input.repo!.source.slice(5)}: a repository cannot choose which environment variable is sent as your key`)
  const keyEnvSetting = userProfile?.api_key_env ? {value: userProfile.api_key_env, source: input.user!.source} : undefined
  const host = hostOf(baseUrl)
  const providerForHost = PROVIDERS.find((p) => hostOf(p.baseUrl) === host && originOf(p.baseUrl) === originOf(baseUrl))
  let apiKey: string | undefined
  let apiKeyEnv: string | undefined
  let apiKeyScope: ResolvedProfile['apiKeyScope']
  for (const name of ['PARECODE_API_KEY', keyEnvSetting?.value, providerForHost?.keyEnv]) {
    if (!name) continue
    const v = env(input.env, name)
    if (!v) continue
    const consent = keyConsent({name, baseUrl, urlSource: sources.baseUrl, user: input.user, providerKeyEnv: providerForHost?.keyEnv})
    if (consent === 'no') {
      warnings.push(
        `not sending ${name} to ${host}, an endpoint named by ${sources.baseUrl}; if you trust it, set that base_url with \`api_key_env: ${name}\` in profile "${selected.name}" of your user config`,
      )
      continue
    }
    apiKey = v
    apiKeyEnv = name
    if (consent === 'loopback') apiKeyScope = 'loopback'
    sources.apiKey = `env:${name}`
    sources.apiKeyEnv = name === keyEnvSetting?.value ? keyEnvSetting.source : `env:${name}`
    break
  }
  if (keyEnvSetting && !env(input.env, keyEnvSetting.value) && apiKeyEnv !== 'PARECODE_API_KEY') {
    warnings.push(`api_key_env names ${keyEnvSetting.value} (${keyEnvSetting.source}), but that environment variable is not set`)
  }

  const num = (field: string, key: keyof ProfileSettings, fallback?: number) =>
    first<number>(field, fromFiles(key) as Found<number> | undefined, fallback === undefined ? undefined : {value: fallback, source: 'default'})
  const sub = <T>(field: string, key: 'model_routes' | 'edit_format' | 'timeouts', subKey: string, fallback?: T): T | undefined =>
    first<T>(field, nested(key, subKey) as Found<T> | undefined, fallback === undefined ? undefined : {value: fallback, source: 'default'})

  const modelRoutes: ResolvedProfile['modelRoutes'] = {}
  for (const r of ['quick', 'standard', 'deep'] as const) {
    const v = sub<string>(`modelRoutes.${r}`, 'model_routes', r)
    if (v) modelRoutes[r] = v
  }
  const plannerModel = first<string>('plannerModel', fromFiles('planner_model'))

  const profile: ResolvedProfile = {
    name: selected.name,
    baseUrl,
    model,
    plannerModel,
    apiKey,
    apiKeyEnv,
    apiKeyScope,
    contextWindow: num('contextWindow', 'context_window', DEFAULTS.contextWindow)!,
    costPerMtokInput: num('costPerMtokInput', 'cost_per_mtok_input'),
    costPerMtokOutput: num('costPerMtokOutput', 'cost_per_mtok_output'),
    modelRoutes,
    editFormat: {
      anchors: sub<boolean>('editFormat.anchors', 'edit_format', 'anchors', DEFAULTS.editFormat.anchors)!,
      patch: sub<boolean>('editFormat.patch', 'edit_format', 'patch', DEFAULTS.editFormat.patch)!,
    },
    tokenizer: first<string>('tokenizer', fromFiles('tokenizer'), {value: DEFAULTS.tokenizer, source: 'default'})!,
    maxTokens: num('maxTokens', 'max_tokens'),
    bashTimeoutMax: num('bashTimeoutMax', 'bash_timeout_max', DEFAULTS.bashTimeoutMax)!,
    retries: num('retries', 'retries', DEFAULTS.retries)!,
    timeouts: {
      connectMs: sub<number>('timeouts.connectMs', 'timeouts', 'connect_ms', DEFAULTS.timeouts.connectMs)!,
      headersMs: sub<number>('timeouts.headersMs', 'timeouts', 'headers_ms', DEFAULTS.timeouts.headersMs)!,
      idleMs: sub<number>('timeouts.idleMs', 'timeouts', 'idle_ms', DEFAULTS.timeouts.idleMs)!,
    },
    budgetFraction: num('budgetFraction', 'budget_fraction', DEFAULTS.budgetFraction)!,
    configured: Boolean(baseUrl && model),
    sources,
  }
  // Drop optional fields that stayed unset so JSON output and spreads stay clean.
  for (const k of Object.keys(profile) as (keyof ResolvedProfile)[]) if (profile[k] === undefined) delete profile[k]

  return {
    profile,
    hooks: resolveHooks(files, selected.defined ? selected.name : undefined),
    settings: resolveGlobals(files, {env: input.env, approvalFlag: input.flags?.approval, warnings}),
    profiles: known,
    warnings,
    mcp: resolveMcp(files, warnings),
  }
}

/** Two URLs naming the same server on this machine (localhost and 127.0.0.1 alike). */
function sameLocalServer(a: string, b: string): boolean {
  try {
    const x = new URL(a)
    const y = new URL(b)
    return x.port === y.port && isLoopback(x.hostname) && isLoopback(y.hostname)
  } catch {
    return false
  }
}

/** Whether probing a local Ollama could still fill in the endpoint or the model. */
export function wantsOllama(profile: ResolvedProfile, ollamaBaseUrl: string): boolean {
  if (!profile.baseUrl) return true
  return !profile.model && sameLocalServer(profile.baseUrl, ollamaBaseUrl)
}
