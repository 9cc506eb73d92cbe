import {closeSync, constants, fstatSync, lstatSync, openSync, readSync, realpathSync} from 'node:fs'
import path from 'node:path'
import {inside, leavesRepo, type RepoFileRead} from './repo-file.js'

/** Synchronous `readRepoFile` for the project detectors, which read a few small marker files: same rules, same caps. */
export function readRepoFileSync(root: string, rel: string, maxBytes: number): RepoFileRead {
  const abs = path.resolve(root, rel)
  if (!inside(root, abs)) return {ok: false, missing: false, reason: `${rel} is outside the repository`}
  let real: string
  let realRoot: string
  try {
    real = realpathSync(abs)
    realRoot = realpathSync(root)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      let link = false
      try {
        link = lstatSync(abs).isSymbolicLink()
      } catch {
        link = false
      }
      return link ? {ok: false, missing: false, reason: `${rel} is a symlink to nothing`} : {ok: false, missing: true, reason: `${rel} does not exist`}
    }
    return {ok: false, missing: false, reason: `cannot read ${rel}: ${code ?? (err as Error).message}`}
  }
  if (leavesRepo(realRoot, real)) return {ok: false, missing: false, reason: `${rel} is a symlink that points outside the repository`}
  let fd: number
  try {
    fd = openSync(real, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW)
  } catch (err) {
    return {ok: false, missing: false, reason: `cannot read ${rel}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`}
  }
  try {
    const st = fstatSync(fd)
    if (!st.isFile()) return {ok: false, missing: false, reason: `${rel} is not a regular file`}
    if (st.size > maxBytes) return {ok: false, missing: false, reason: `${rel} is larger than ${maxBytes} bytes`}
    const buf = Buffer.alloc(Math.min(st.size, maxBytes) + 1)
    let n = 0
    while (n < buf.length) {
      const got = readSync(fd, buf, n, buf.length - n, n)
      if (got === 0) break
      n += got
    }
    if (n > maxBytes) return {ok: false, missing: false, reason: `${rel} is larger than ${maxBytes} bytes`}
    return {ok: true, content: buf.subarray(0, n), path: real}
  } finally {
    closeSync(fd)
  }
}
