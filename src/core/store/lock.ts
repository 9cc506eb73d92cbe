import {hostname} from 'node:os'
import {linkSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {RepoStateError} from '../errors/index.js'

/** Who holds the repository lock. */
export interface LockOwner {
  pid: number
  host: string
  started: string
}

export interface LockOptions {
  /** How long to wait for a live holder, in ms (default 0: fail at once). */
  wait?: number
  /** Called with a message when a stale lock is cleared. */
  onWarning?: (message: string) => void
}

const POLL_MS = 50
// A lock file we cannot parse is only trusted this long (a writer can be mid-write for a few ms at most).
const UNREADABLE_GRACE_MS = 5_000

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function readOwner(file: string): LockOwner | null {
  try {
    const o = JSON.parse(readFileSync(file, 'utf8')) as LockOwner
    return typeof o.pid === 'number' ? o : null
  } catch {
    return null
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/**
 * The repository lock: `<commonDir>/parecode.lock`, created atomically (written aside, then hard-linked
 * into place, which fails if it exists) so it is never seen half-written.
 */
export class RepoLock {
  private depth = 0
  private readonly file: string

  constructor(commonDir: string) {
    this.file = path.join(commonDir, 'parecode.lock')
  }

  /** Run `fn` holding the lock; nested calls on the same lock object re-enter. */
  async with<T>(fn: () => Promise<T>, opts: LockOptions = {}): Promise<T> {
    if (this.depth > 0) {
      this.depth++
      try {
        return await fn()
      } finally {
        this.depth--
      }
    }
    await this.acquire(opts)
    this.depth = 1
    try {
      return await fn()
    } finally {
      this.depth = 0
      this.release()
    }
  }

  private tryCreate(): boolean {
    const me: LockOwner = {pid: process.pid, host: hostname(), started: new Date().toISOString()}
    const tmp = `${this.file}.${process.pid}.${Math.random().toString(36).slice(2)}`
    writeFileSync(tmp, JSON.stringify(me) + '\n')
    try {
      linkSync(tmp, this.file)
      return true
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false
      // No hard links on this file system: O_EXCL create (a reader may briefly see it empty; see UNREADABLE_GRACE_MS).
      try {
        writeFileSync(this.file, JSON.stringify(me) + '\n', {flag: 'wx'})
        return true
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false
        throw e
      }
    } finally {
      unlinkSync(tmp)
    }
  }

  private async acquire(opts: LockOptions): Promise<void> {
    const deadline = Date.now() + (opts.wait ?? 0)
    for (;;) {
      if (this.tryCreate()) return
      const owner = readOwner(this.file)
      if (this.isStale(owner)) {
        this.clearStale(owner, opts)
        continue
      }
      if (Date.now() >= deadline) {
        const who = owner ? `pid ${owner.pid}${owner.host === hostname() ? '' : ` on ${owner.host}`}` : 'unknown pid'
        throw new RepoStateError(
          `another git pare (${who}) is working on this repository`,
          `wait for it to finish; if no git pare is running, remove ${this.file}`,
          'locked',
        )
      }
      await sleep(POLL_MS)
    }
  }

  private isStale(owner: LockOwner | null): boolean {
    if (!owner) {
      try {
        return Date.now() - statSync(this.file).mtimeMs > UNREADABLE_GRACE_MS
      } catch {
        return false
      }
    }
    return owner.host === hostname() && owner.pid !== process.pid && !isAlive(owner.pid)
  }

  // Rename the stale file aside before deleting it, so two processes clearing the same stale lock
  // cannot delete a fresh lock the other has just created.
  private clearStale(owner: LockOwner | null, opts: LockOptions): void {
    const aside = `${this.file}.stale.${process.pid}`
    try {
      const before = readFileSync(this.file, 'utf8')
      renameSync(this.file, aside)
      const moved = readFileSync(aside, 'utf8')
      if (moved !== before) {
        // Someone replaced it between our read and rename: put theirs back if the slot is free.
        try {
          linkSync(aside, this.file)
        } catch {}
        unlinkSync(aside)
        return
      }
      unlinkSync(aside)
      opts.onWarning?.(
        owner
          ? `cleared a stale lock left by git pare (pid ${owner.pid}, started ${owner.started}), which is no longer running`
          : 'cleared an unreadable stale lock file',
      )
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
    }
  }

  private release(): void {
    try {
      const owner = readOwner(this.file)
      if (owner && owner.pid === process.pid && owner.host === hostname()) unlinkSync(this.file)
    } catch {}
  }
}
