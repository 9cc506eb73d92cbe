import {realpathSync} from 'node:fs'
import path from 'node:path'

/** Variables a command the model runs may see; everything else (DATABASE_URL, SSH_AUTH_SOCK, cloud and API keys, NODE_OPTIONS, BASH_ENV…) is left out. */
const ALLOWED = new Set(['PATH', 'HOME', 'LANG', 'LANGUAGE', 'TERM', 'TZ', 'NO_COLOR', 'COLORTERM', 'TMPDIR'])
const ALLOWED_PREFIX = /^LC_[A-Z_]+$/

/** Fixed for every command: output is captured, nothing may wait for a password, and a `git status` never rewrites the user's index. */
export const COMMAND_ENV = {PAGER: 'cat', GIT_PAGER: 'cat', GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0'} as const

/** A copy of `env` with only the allowlisted variables (an allowlist, not a scrub of names that look secret). */
export function allowlistEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(env)) {
    if (v !== undefined && (ALLOWED.has(k) || ALLOWED_PREFIX.test(k))) out[k] = v
  }
  return out
}

/** The old name of allowlistEnv, kept for callers that import it. */
export const scrubEnv = allowlistEnv

/** PATH without relative entries and without directories inside the work tree, where the model could plant an `ls`. */
export function safePath(pathEnv: string | undefined, root: string): string {
  const keep = (pathEnv ?? '').split(path.delimiter).filter((d) => {
    if (!d || !path.isAbsolute(d)) return false
    return !inside(d, root) && !inside(real(d), root)
  })
  return (keep.length ? keep : ['/usr/local/bin', '/usr/bin', '/bin']).join(path.delimiter)
}

function real(p: string): string {
  try {
    return realpathSync(p)
  } catch {
    return p
  }
}

function inside(p: string, root: string): boolean {
  const rel = path.relative(root, path.resolve(p))
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel))
}
