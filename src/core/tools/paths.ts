import {realpathSync} from 'node:fs'
import path from 'node:path'

export type Resolved = {ok: true; abs: string; rel: string} | {ok: false; error: string}

/** Resolve the deepest existing ancestor through realpath, so a symlink anywhere on the way is followed. */
export function realpathLoose(p: string): string {
  const rest: string[] = []
  let cur = p
  for (;;) {
    try {
      return path.join(realpathSync(cur), ...rest.reverse())
    } catch {
      const parent = path.dirname(cur)
      if (parent === cur) return p
      rest.push(path.basename(cur))
      cur = parent
    }
  }
}

/**
 * Confine a model-given path to the repository: relative to `root`, realpath'd (symlinks pointing out
 * are refused), never under .git/. Returns a tool-error text instead of throwing.
 */
export function resolveInRepo(root: string, given: unknown): Resolved {
  if (typeof given !== 'string' || given.trim() === '') return {ok: false, error: 'path must be a non-empty string relative to the repository root'}
  const cleaned = given.trim().replace(/^\.\/+/, '')
  const abs = path.resolve(root, cleaned)
  const real = realpathLoose(abs)
  const rel = path.relative(root, real)
  if (rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) {
    return {ok: false, error: `path ${given} is outside the repository; use a path relative to the repository root`}
  }
  // Any .git (the repository's, a submodule's or a nested repository's) holds history and config, never work.
  if (rel.split(path.sep).some((seg) => seg.toLowerCase() === '.git')) return {ok: false, error: `path ${given} is inside .git/, which tools may not touch`}
  return {ok: true, abs: real, rel: rel === '' ? '.' : rel.split(path.sep).join('/')}
}
