import {readFileSync, readdirSync, lstatSync, readlinkSync} from 'node:fs'
import path from 'node:path'
import {sh} from '../../support/repo.js'

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
