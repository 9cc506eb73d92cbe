import {execFile} from 'node:child_process'
import {accessSync, constants} from 'node:fs'
import path from 'node:path'
import {bwrapProbeArgs} from './bwrap.js'

/** The OS sandbox bash commands run in: bubblewrap on Linux, Seatbelt (sandbox-exec) on macOS, or none. */
export interface SandboxInfo {
  kind: 'bwrap' | 'sandbox-exec' | 'none'
  /** Absolute path of the sandbox program. */
  path?: string
  /** Why there is none (for `git pare config`). */
  reason?: string
}

export interface DetectOptions {
  platform?: NodeJS.Platform
  /** PATH to search for bwrap. */
  pathEnv?: string
}

const SEATBELT = '/usr/bin/sandbox-exec'
const PROBE_TIMEOUT_MS = 10_000
const cache = new Map<string, Promise<SandboxInfo>>()

/** The first executable `name` on a PATH string. */
export function which(name: string, pathEnv: string | undefined): string | undefined {
  for (const dir of (pathEnv ?? '').split(path.delimiter)) {
    if (!dir || !path.isAbsolute(dir)) continue
    const file = path.join(dir, name)
    try {
      accessSync(file, constants.X_OK)
      return file
    } catch {
      // not here
    }
  }
  return undefined
}

/** Probe a bwrap binary with the namespaces we use: some kernels or containers forbid them although bwrap is installed. */
function probeBwrap(file: string): Promise<SandboxInfo> {
  return new Promise((resolve) => {
    execFile(file, [...bwrapProbeArgs(), '--', 'true'], {timeout: PROBE_TIMEOUT_MS, env: {PATH: '/usr/bin:/bin'}}, (err, _out, stderr) => {
      if (!err) return resolve({kind: 'bwrap', path: file})
      const why = String(stderr).trim().split('\n')[0] || err.message
      resolve({kind: 'none', reason: `bwrap at ${file} does not work here: ${why}`})
    })
  })
}

async function detect(platform: NodeJS.Platform, pathEnv: string | undefined): Promise<SandboxInfo> {
  if (platform === 'linux') {
    const file = which('bwrap', pathEnv)
    if (!file) return {kind: 'none', reason: 'bwrap not found (install the bubblewrap package)'}
    return probeBwrap(file)
  }
  if (platform === 'darwin') {
    try {
      accessSync(SEATBELT, constants.X_OK)
      return {kind: 'sandbox-exec', path: SEATBELT}
    } catch {
      return {kind: 'none', reason: `${SEATBELT} not found`}
    }
  }
  return {kind: 'none', reason: `no sandbox for ${platform}`}
}

/** Which sandbox works on this machine; probed once per process (per PATH) and cached. */
export function detectSandbox(opts: DetectOptions = {}): Promise<SandboxInfo> {
  const platform = opts.platform ?? process.platform
  const pathEnv = opts.pathEnv ?? process.env.PATH
  const key = `${platform}\0${pathEnv ?? ''}`
  let found = cache.get(key)
  if (!found) {
    found = detect(platform, pathEnv)
    cache.set(key, found)
  }
  return found
}

/** A short name for display: `bwrap (/usr/bin/bwrap)`, `sandbox-exec`, `none`. */
export function describeSandbox(s: SandboxInfo): string {
  return s.kind === 'none' ? 'none' : `${s.kind} (${s.path})`
}
