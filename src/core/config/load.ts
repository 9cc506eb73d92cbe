import {homedir} from 'node:os'
import path from 'node:path'
import {isPareError} from '../errors/pare-error.js'
import {findRepo} from '../store/repo.js'
import {configFromText, readConfigFile} from './file.js'
import {readRepoConfigText, REPO_CONFIG_KEY, REPO_CONFIG_MAX_BYTES} from './repo-file.js'
import {ApprovalStore, worktreeScope} from '../trust/approvals.js'
import {OLLAMA_URL, ollamaUrlFromEnv, probeOllama, type FetchFn, type OllamaProbe} from './ollama.js'
import {repoConfigPath, tildify, userConfigPath} from './paths.js'
import type {ConfigFile} from './types.js'
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
  /** The user's approvals; defaults to the store in their state directory. */
  approvals?: ApprovalStore
}

/** Whether the repository's `.parecode/config.yaml` is in use: only once the user approved its exact content. */
export interface RepoConfigTrust {
  state: 'absent' | 'approved' | 'unapproved' | 'refused'
  /** The file's text when it was read (approved or not). */
  text?: string
  /** Why it was refused (a symlink out of the repository, not a regular file, too large). */
  reason?: string
}

/** A config file location, whether or not it exists. */
export interface ConfigFileInfo {
  path: string
  display: string
  exists: boolean
  /** Why an existing file is not used (a repository's file not approved, or refused). */
  ignored?: string
}

export interface LoadedConfig extends Resolution {
  files: {user: ConfigFileInfo; repo?: ConfigFileInfo}
  /** The local Ollama, when it was probed and answered. */
  ollama?: OllamaProbe
  /** The repository's config file: used only when approved (`git pare trust`). */
  repoTrust: RepoConfigTrust
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
  const approvals = opts.approvals ?? ApprovalStore.forUser(opts.env, home)
  const [user, repoRead] = await Promise.all([
    readConfigFile({scope: 'user', path: userPath, display: userDisplay}),
    repoRoot ? readRepoConfigText(repoRoot) : undefined,
  ])
  // A cloned repository's config can name hosts, keys, hooks and limits: it is inert until the user approved this exact text.
  let repo: ConfigFile | undefined
  let repoTrust: RepoConfigTrust = {state: 'absent'}
  if (repoRead && !repoRead.ok && !repoRead.missing) repoTrust = {state: 'refused', reason: repoRead.reason}
  else if (repoRead?.ok) {
    const text = repoRead.text
    const approved = await approvals.isApproved(worktreeScope(repoRoot!), {key: REPO_CONFIG_KEY, content: text})
    repoTrust = {state: approved ? 'approved' : 'unapproved', text}
    if (approved) repo = await configFromText({scope: 'repo', path: repoPath!, display: repoDisplay!, text})
  }
  const input = {user, repo, env: opts.env, flags: opts.flags}
  let resolution = resolveProfile(input)
  let ollama: OllamaProbe | undefined
  const ollamaUrl = opts.ollamaUrl ?? ollamaUrlFromEnv(opts.env.OLLAMA_HOST) ?? OLLAMA_URL
  const fetchFn = opts.fetch ?? (globalThis.fetch as unknown as FetchFn | undefined)
  if (!/^(1|true|yes)$/i.test(opts.env.PARECODE_NO_OLLAMA_PROBE ?? '') && fetchFn && wantsOllama(resolution.profile, `${ollamaUrl}/v1`)) {
    const envMs = Number(opts.env.PARECODE_OLLAMA_PROBE_MS)
    const timeoutMs = opts.probeTimeoutMs ?? (Number.isFinite(envMs) && envMs > 0 ? Math.min(envMs, 60_000) : 300) // a probe longer than a minute is a typo; a timer over 2^31-1 ms would fire at once
    ollama = await probeOllama(fetchFn, {url: ollamaUrl, timeoutMs})
    if (ollama) resolution = resolveProfile({...input, ollama})
  }
  const files: LoadedConfig['files'] = {user: {path: userPath, display: userDisplay, exists: Boolean(user)}}
  if (repoPath) {
    files.repo = {path: repoPath, display: repoDisplay!, exists: repoTrust.state !== 'absent'}
    if (repoTrust.state === 'unapproved') files.repo.ignored = 'not approved, ignored: review it with `git pare trust`'
    if (repoTrust.state === 'refused') files.repo.ignored = `refused: ${repoTrust.reason}`
  }
  return {...resolution, files, ...(ollama ? {ollama} : {}), repoTrust}
}
