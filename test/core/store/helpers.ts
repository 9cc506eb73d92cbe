import {readFileSync, readdirSync, lstatSync, readlinkSync} from 'node:fs'
import path from 'node:path'
import {makeRepo, sh, tempDir} from '../../support/repo.js'

/** Every non-.git path in a work tree with its content, mode and link target, for exact comparisons. */
export function treeState(root: string): Record<string, string> {
  const out: Record<string, string> = {}
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      if (dir === root && name === '.git') continue
      const p = path.join(dir, name)
      const st = lstatSync(p)
      const rel = path.relative(root, p)
      if (st.isSymbolicLink()) out[rel] = `link:${readlinkSync(p)}`
      else if (st.isDirectory()) walk(p)
      else out[rel] = `${st.mode & 0o111 ? 'x' : '-'}:${readFileSync(p).toString('base64')}`
    }
  }
  walk(root)
  return out
}

/** `git fsck --strict` must be clean (dangling objects are fine, errors are not). */
export function fsck(root: string): string {
  return sh(root, ['fsck', '--strict', '--no-progress'])
}

export function indexBytes(root: string): string {
  try {
    return readFileSync(path.join(root, '.git', 'index')).toString('base64')
  } catch {
    return ''
  }
}

/** A repository with a bare `origin` beside it (in `root`, with room for second clones); both are pushed to `dirs` for cleanup. */
export function repoWithBareRemote(dirs: string[]): {first: string; root: string; bare: string} {
  const first = makeRepo({'a.txt': '0\n'})
  const root = tempDir('pare-remote-')
  dirs.push(first, root)
  const bare = path.join(root, 'remote.git')
  sh(root, ['init', '-q', '--bare', bare])
  sh(first, ['remote', 'add', 'origin', bare])
  return {first, root, bare}
}
