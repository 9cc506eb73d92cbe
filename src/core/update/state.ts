import {mkdirSync, readFileSync, renameSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {userStateDir} from '../trust/state-dir.js'

/** What the last update check found, in the user's state directory (never in a repository). */
export interface UpdateState {
  /** ms since the epoch of the last check, successful or not. */
  checked_at: number
  /** The registry's latest version, when it answered with one. */
  latest?: string
}

export function updateStatePath(env: Record<string, string | undefined>): string {
  return path.join(userStateDir(env), 'update-check.json')
}

export function readUpdateState(file: string): UpdateState | undefined {
  try {
    const v = JSON.parse(readFileSync(file, 'utf8')) as Partial<UpdateState>
    if (typeof v.checked_at !== 'number') return undefined
    return {checked_at: v.checked_at, latest: typeof v.latest === 'string' ? v.latest.slice(0, 40) : undefined}
  } catch {
    return undefined
  }
}

/** Written through a temporary file and a rename: a reader sees the old state or the new one. */
export function writeUpdateState(file: string, state: UpdateState): void {
  mkdirSync(path.dirname(file), {recursive: true})
  const tmp = `${file}.${process.pid}.tmp`
  writeFileSync(tmp, JSON.stringify(state) + '\n')
  renameSync(tmp, file)
}
