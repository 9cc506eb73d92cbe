import {constants} from 'node:fs'
import {lstat, mkdir, open, realpath, rename, rm, stat} from 'node:fs/promises'
import path from 'node:path'

// Files git-pare reads or writes on its own (config, conventions, AGENTS.md / CLAUDE.md, project markers, the
// hooks block it writes) come from a repository that may be hostile: a symlink to a private key, to the user's own
// config folder, or to /dev/zero. So a read takes only a regular file whose real path stays inside the repository
// (a symlink that stays inside, like CLAUDE.md -> AGENTS.md, is fine), opened without blocking and read up to a cap;
// a write never follows a symlink, in the file or in any folder above it.

/** Why a file was not read: absent, or refused (with a one-line reason). */
export type RepoFileRead = {ok: true; content: Buffer; path: string} | {ok: false; missing: boolean; reason: string}

/** Whether `p` is `root` or lies under it (both absolute). */
export const inside = (root: string, p: string) => p === root || p.startsWith(root.endsWith(path.sep) ? root : root + path.sep)

/** Whether a resolved path leaves the (resolved) repository root or enters a .git folder. */
export const leavesRepo = (realRoot: string, real: string) => !inside(realRoot, real) || path.relative(realRoot, real).split(path.sep).includes('.git')

/** Read `rel` under `root` when it is a regular file inside the repository, at most `maxBytes` long. Never throws for a bad file. */
export async function readRepoFile(root: string, rel: string, opts: {maxBytes: number}): Promise<RepoFileRead> {
  const abs = path.resolve(root, rel)
  if (!inside(root, abs)) return {ok: false, missing: false, reason: `${rel} is outside the repository`}
  let real: string
  let realRoot: string
  try {
    ;[real, realRoot] = await Promise.all([realpath(abs), realpath(root)])
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      // A dangling symlink is a refusal to follow, not an absent file.
      const link = await lstat(abs).catch(() => undefined)
      return link ? {ok: false, missing: false, reason: `${rel} is a symlink to nothing`} : {ok: false, missing: true, reason: `${rel} does not exist`}
    }
    return {ok: false, missing: false, reason: `cannot read ${rel}: ${code ?? (err as Error).message}`}
  }
  if (leavesRepo(realRoot, real)) return {ok: false, missing: false, reason: `${rel} is a symlink that points outside the repository`}
  let fh
  try {
    // O_NONBLOCK: opening a FIFO must not wait for a writer. O_NOFOLLOW: the path was just resolved; a swap to a link fails.
    fh = await open(real, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW)
  } catch (err) {
    return {ok: false, missing: false, reason: `cannot read ${rel}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`}
  }
  try {
    const st = await fh.stat()
    if (!st.isFile()) return {ok: false, missing: false, reason: `${rel} is not a regular file`}
    if (st.size > opts.maxBytes) return {ok: false, missing: false, reason: `${rel} is larger than ${opts.maxBytes} bytes`}
    const buf = Buffer.alloc(Math.min(st.size, opts.maxBytes) + 1)
    let n = 0
    while (n < buf.length) {
      const {bytesRead} = await fh.read(buf, n, buf.length - n, n)
      if (bytesRead === 0) break
      n += bytesRead
    }
    if (n > opts.maxBytes) return {ok: false, missing: false, reason: `${rel} is larger than ${opts.maxBytes} bytes`}
    return {ok: true, content: buf.subarray(0, n), path: real}
  } finally {
    await fh.close()
  }
}

/** Text of a repository file, or undefined when it is absent or refused (`onRefused` hears why). */
export async function readRepoText(root: string, rel: string, opts: {maxBytes: number; onRefused?: (reason: string) => void}): Promise<string | undefined> {
  const r = await readRepoFile(root, rel, opts)
  if (r.ok) return r.content.toString('utf8')
  if (!r.missing) opts.onRefused?.(r.reason)
  return undefined
}

/** Thrown when a write would follow a symlink or replace something that is not a regular file. */
export class UnsafeWriteError extends Error {
  constructor(readonly rel: string, reason: string) {
    super(`not writing ${rel}: ${reason}`)
    this.name = 'UnsafeWriteError'
  }
}

/**
 * Write `rel` under `root` atomically (a new temporary file, then a rename) without following a symlink: each folder
 * from the root down must be a real folder (missing ones are created), and an existing target must be a regular file.
 */
export async function writeRepoFile(root: string, rel: string, content: string | Buffer): Promise<void> {
  const abs = path.resolve(root, rel)
  if (!inside(root, abs) || abs === root) throw new UnsafeWriteError(rel, 'it is outside the repository')
  const parts = path.relative(root, abs).split(path.sep)
  if (parts.includes('.git')) throw new UnsafeWriteError(rel, 'it is inside .git')
  let dir = root
  for (const part of parts.slice(0, -1)) {
    dir = path.join(dir, part)
    const st = await lstat(dir).catch(() => undefined)
    if (!st) await mkdir(dir)
    else if (st.isSymbolicLink()) throw new UnsafeWriteError(rel, `${path.relative(root, dir)} is a symlink`)
    else if (!st.isDirectory()) throw new UnsafeWriteError(rel, `${path.relative(root, dir)} is not a folder`)
  }
  const existing = await lstat(abs).catch(() => undefined)
  if (existing && (existing.isSymbolicLink() || !existing.isFile())) throw new UnsafeWriteError(rel, existing.isSymbolicLink() ? 'it is a symlink' : 'it is not a regular file')
  const tmp = path.join(dir, `.${path.basename(abs)}.${process.pid}.${Date.now()}.tmp`)
  const fh = await open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, existing ? existing.mode & 0o777 : 0o644)
  try {
    await fh.writeFile(content)
  } catch (err) {
    await fh.close()
    await rm(tmp, {force: true})
    throw err
  }
  await fh.close()
  // The folder could have been swapped for a symlink since the checks: check the one that holds the file again.
  const held = await stat(dir)
  const seen = await lstat(dir)
  if (seen.isSymbolicLink() || held.ino !== seen.ino) {
    await rm(tmp, {force: true})
    throw new UnsafeWriteError(rel, `${path.relative(root, dir) || '.'} changed while writing`)
  }
  await rename(tmp, abs)
}
