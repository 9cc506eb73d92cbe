import {git} from '../store/git.js'

/** `git status --short`, capped at maxLines (default 20), for the agent's preamble; undefined when the tree is clean. */
export async function gitStatusShort(root: string, opts: {maxLines?: number; signal?: AbortSignal} = {}): Promise<string | undefined> {
  const max = opts.maxLines ?? 20
  const res = await git(['-c', 'core.quotepath=false', 'status', '--porcelain=v1', '--untracked-files=normal'], {cwd: root, allowFail: true, signal: opts.signal})
  if (res.code !== 0) return undefined
  const lines = res.stdout.split('\n').filter((l) => l.trim())
  if (!lines.length) return undefined
  return lines.length > max ? [...lines.slice(0, max), `… ${lines.length - max} more`].join('\n') : lines.join('\n')
}

export interface CoChangeOptions {
  /** Files returned at most (default 5). */
  limit?: number
  /** Commits of history looked at (default 300). */
  maxCommits?: number
  /** Share of the commits touching `paths` a file must appear in (default 0.5). */
  minRatio?: number
  /** Commits that touched a file together at least this often (default 2). */
  minCount?: number
  signal?: AbortSignal
}

/**
 * Files that historically change together with `paths` (from `git log --name-only`), most often first; files that no
 * longer exist and the given paths themselves are left out. Bulk commits (over 50 files) say nothing and are skipped.
 */
export async function coChangedFiles(root: string, paths: string[], opts: CoChangeOptions = {}): Promise<string[]> {
  if (!paths.length) return []
  const res = await git(
    ['log', '--no-merges', '--full-diff', '--name-only', '--format=%x00', `-n${opts.maxCommits ?? 300}`, '--', ...paths],
    {cwd: root, allowFail: true, signal: opts.signal},
  )
  if (res.code !== 0) return []
  const given = new Set(paths)
  const counts = new Map<string, number>()
  let commits = 0
  for (const block of res.stdout.split('\0')) {
    const files = block.split('\n').map((l) => l.trim()).filter(Boolean)
    if (!files.length) continue
    commits++
    if (files.length > 50) continue
    for (const f of new Set(files)) if (!given.has(f)) counts.set(f, (counts.get(f) ?? 0) + 1)
  }
  if (!commits) return []
  const minRatio = opts.minRatio ?? 0.5
  const minCount = opts.minCount ?? 2
  const candidates = [...counts].filter(([, n]) => n >= minCount && n / commits >= minRatio).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
  if (!candidates.length) return []
  const alive = await git(['ls-files', '-z', '--', ...candidates.map(([f]) => f)], {cwd: root, allowFail: true, signal: opts.signal})
  const exists = new Set(alive.stdout.split('\0'))
  return candidates.filter(([f]) => exists.has(f)).map(([f]) => f).slice(0, opts.limit ?? 5)
}
