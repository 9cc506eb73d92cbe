import {createHash, randomBytes} from 'node:crypto'
import {mkdir, readFile, rename, rm, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {userStateDir} from './state-dir.js'

// Direnv-style approvals: the user approves an exact content, identified by its SHA-256; any change to it needs a new
// approval. One JSON file per scope (a repository's work tree, or its git directory for plans) under the user's state
// directory, so nothing a repository, a clone or a remote supplies can approve itself.

/** Something to approve: a stable key (`config:.parecode/config.yaml`, `hook:cargo check -q`, `step:<plan>/<n>`) and its exact content. */
export interface ApprovalItem {
  key: string
  content: string | Buffer
}

interface Entry {
  sha256: string
  at: string
}

interface ScopeFile {
  v: 1
  scope: string
  items: Record<string, Entry>
}

/** SHA-256 of a content, hex. */
export function contentHash(content: string | Buffer): string {
  return createHash('sha256').update(content).digest('hex')
}

const fileName = (scope: string) => `${createHash('sha256').update(scope).digest('hex').slice(0, 40)}.json`

/** Approvals of one user, kept in their state directory. */
export class ApprovalStore {
  constructor(
    /** The folder holding one file per scope. */
    readonly dir: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The store for this environment's user (`$XDG_STATE_HOME/parecode/approvals`). */
  static forUser(env: Record<string, string | undefined>, home?: string): ApprovalStore {
    return new ApprovalStore(path.join(userStateDir(env, home), 'approvals'))
  }

  private async load(scope: string): Promise<ScopeFile> {
    try {
      const data = JSON.parse(await readFile(path.join(this.dir, fileName(scope)), 'utf8')) as Partial<ScopeFile>
      const items: Record<string, Entry> = Object.create(null) as Record<string, Entry>
      if (data && data.scope === scope && data.items && typeof data.items === 'object') {
        for (const [k, e] of Object.entries(data.items)) if (e && typeof e.sha256 === 'string') items[k] = {sha256: e.sha256, at: String(e.at ?? '')}
      }
      return {v: 1, scope, items}
    } catch {
      return {v: 1, scope, items: Object.create(null) as Record<string, Entry>}
    }
  }

  private async save(file: ScopeFile): Promise<void> {
    await mkdir(this.dir, {recursive: true, mode: 0o700})
    const target = path.join(this.dir, fileName(file.scope))
    const tmp = `${target}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
    const items = Object.fromEntries(Object.entries(file.items).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    await writeFile(tmp, JSON.stringify({v: 1, scope: file.scope, items}, null, 1), {mode: 0o600, flag: 'wx'})
    await rename(tmp, target)
  }

  /** Whether `item.key` was approved with exactly `item.content`. */
  async isApproved(scope: string, item: ApprovalItem): Promise<boolean> {
    const file = await this.load(scope)
    const e = Object.hasOwn(file.items, item.key) ? file.items[item.key] : undefined
    return e?.sha256 === contentHash(item.content)
  }

  /** The items that are not approved with their current content. */
  async unapproved<T extends ApprovalItem>(scope: string, items: T[]): Promise<T[]> {
    if (!items.length) return []
    const file = await this.load(scope)
    return items.filter((i) => {
      const e = Object.hasOwn(file.items, i.key) ? file.items[i.key] : undefined
      return e?.sha256 !== contentHash(i.content)
    })
  }

  /** Record these exact contents as approved (replacing older approvals of the same keys). */
  async approve(scope: string, items: ApprovalItem[]): Promise<void> {
    if (!items.length) return
    const file = await this.load(scope)
    const at = this.now().toISOString()
    for (const i of items) file.items[i.key] = {sha256: contentHash(i.content), at}
    await this.save(file)
  }

  /** Forget approvals: the keys given, those starting with `prefix`, or all of the scope. */
  async revoke(scope: string, opts: {keys?: string[]; prefix?: string} = {}): Promise<string[]> {
    const file = await this.load(scope)
    const gone = Object.keys(file.items).filter((k) => (opts.keys ? opts.keys.includes(k) : opts.prefix !== undefined ? k.startsWith(opts.prefix) : true))
    if (!gone.length) return []
    for (const k of gone) delete file.items[k]
    if (Object.keys(file.items).length) await this.save(file)
    else await rm(path.join(this.dir, fileName(scope)), {force: true})
    return gone
  }

  /** Every approved key of a scope, with when it was approved. */
  async list(scope: string): Promise<{key: string; sha256: string; at: string}[]> {
    const file = await this.load(scope)
    return Object.entries(file.items).map(([key, e]) => ({key, ...e}))
  }
}

/** The approval scope of a work tree (repository trust: config, conventions, hooks). */
export const worktreeScope = (root: string): string => `worktree:${path.resolve(root)}`

/** The approval scope of a repository's shared data (plans, steps): its common git directory. */
export const repoDataScope = (commonDir: string): string => `git:${path.resolve(commonDir)}`
