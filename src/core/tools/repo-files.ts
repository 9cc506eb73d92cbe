import {git} from '../store/git.js'

/**
 * Files git would show: tracked and untracked non-ignored, minus tracked files deleted from the work
 * tree. Repo-relative paths with `/`, under `relDir` when given ('.' or undefined = whole repo).
 */
export async function listRepoFiles(root: string, relDir?: string, signal?: AbortSignal): Promise<string[]> {
  const spec = relDir && relDir !== '.' ? ['--', relDir] : []
  const base = ['-c', 'core.quotePath=false', 'ls-files', '-z']
  const [all, deleted] = await Promise.all([
    git([...base, '--cached', '--others', '--exclude-standard', ...spec], {cwd: root, signal}),
    git([...base, '--deleted', ...spec], {cwd: root, signal}),
  ])
  const gone = new Set(deleted.stdout.split('\0').filter(Boolean))
  const seen = new Set<string>()
  for (const f of all.stdout.split('\0')) if (f && !gone.has(f)) seen.add(f)
  return [...seen].sort()
}

/** Repo files whose name is close to a missing path's: same basename first, then same name without extension. */
export async function similarPaths(root: string, rel: string, limit = 5, signal?: AbortSignal): Promise<string[]> {
  let files: string[]
  try {
    files = await listRepoFiles(root, undefined, signal)
  } catch {
    return []
  }
  const base = rel.split('/').pop()!.toLowerCase()
  const stem = base.replace(/\.[^.]*$/, '')
  const same = files.filter((f) => f.split('/').pop()!.toLowerCase() === base)
  const sameStem = stem.length < 2 ? [] : files.filter((f) => {
    const b = f.split('/').pop()!.toLowerCase()
    return b !== base && b.replace(/\.[^.]*$/, '') === stem
  })
  return [...same, ...sameStem].slice(0, limit)
}
