import {homedir} from 'node:os'
import path from 'node:path'
import {isPareError} from '../errors/pare-error.js'
import {findRepo} from '../store/repo.js'
import {readConfigFile} from './file.js'
import {OLLAMA_URL, ollamaUrlFromEnv, probeOllama, type FetchFn, type OllamaProbe} from './ollama.js'
import {repoConfigPath, tildify, userConfigPath} from './paths.js'
import {resolveProfile, wantsOllama, type Env, type ModelFlagValues, type Resolution} from './resolve.js'

export interface LoadConfigOptions {
  cwd: string
  /** The repository root; undefined: look it up from cwd; null: outside any repository (user file only). */
  repoRoot?: string | null
  env: Env
  flags?: ModelFlagValues
  /** Defaults to env.HOME, then the OS home directory. */
  home?: string
  /** Used to probe a local Ollama; defaults to the global fetch. */
  fetch?: FetchFn
  /** How long the Ollama probe may take; defaults to PARECODE_OLLAMA_PROBE_MS, then 300 ms. */
  probeTimeoutMs?: number
  /** Where to look for Ollama; defaults to OLLAMA_HOST, then 127.0.0.1:11434. */
  ollamaUrl?: string
}

/** A config file location, whether or not it exists. */
export interface ConfigFileInfo {
  path: string
  display: string
  exists: boolean
}

export interface LoadedConfig extends Resolution {
  files: {user: ConfigFileInfo; repo?: ConfigFileInfo}
  /** The local Ollama, when it was probed and answered. */
  ollama?: OllamaProbe
}

/** Read the user and repository config files, the environment and flags (and probe a local Ollama when nothing else names an endpoint). */
export async function loadConfig(opts: LoadConfigOptions): Promise<LoadedConfig> {
  const home = opts.home ?? opts.env.HOME ?? homedir()
  let repoRoot = opts.repoRoot
  if (repoRoot === undefined) {
    try {
      repoRoot = (await findRepo(opts.cwd)).root
    } catch (err) {
      if (!isPareError(err)) throw err
      repoRoot = null
    }
  }
  const userPath = userConfigPath(opts.env, home)
  const userDisplay = tildify(userPath, home)
  const repoPath = repoRoot ? repoConfigPath(repoRoot) : undefined
  const repoDisplay = repoPath ? path.relative(repoRoot!, repoPath).split(path.sep).join('/') : undefined
  const [user, repo] = await Promise.all([
    readConfigFile({scope: 'user', path: userPath, display: userDisplay}),
    repoPath ? readConfigFile({scope: 'repo', path: repoPath, display: repoDisplay!}) : undefined,
  ])
  const input = {user, repo, env: opts.env, flags: opts.flags}
  let resolution = resolveProfile(input)
  let ollama: OllamaProbe | undefined
  const ollamaUrl = opts.ollamaUrl ?? ollamaUrlFromEnv(opts.env.OLLAMA_HOST) ?? OLLAMA_URL
  const fetchFn = opts.fetch ?? (globalThis.fetch as unknown as FetchFn | undefined)
  if (!/^(1|true|yes)$/i.test(opts.env.PARECODE_NO_OLLAMA_PROBE ?? '') && fetchFn && wantsOllama(resolution.profile, `${ollamaUrl}/v1`)) {
    const envMs = Number(opts.env.PARECODE_OLLAMA_PROBE_MS)
    const timeoutMs = opts.probeTimeoutMs ?? (Number.isFinite(envMs) && envMs > 0 ? envMs : 300)
    ollama = await probeOllama(fetchFn, {url: ollamaUrl, timeoutMs})
    if (ollama) resolution = resolveProfile({...input, ollama})
  }
  const files: LoadedConfig['files'] = {user: {path: userPath, display: userDisplay, exists: Boolean(user)}}
  if (repoPath) files.repo = {path: repoPath, display: repoDisplay!, exists: Boolean(repo)}
  return {...resolution, files, ...(ollama ? {ollama} : {})}
}
