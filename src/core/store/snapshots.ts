import type {StoreContext} from './context.js'
import {formatMessage, revParse, writeCommit} from './objects.js'
import {listRefs, maxSeq, readRef, seqName, updateRef, updateRefs} from './refs.js'
import {UsageError} from '../errors/index.js'
import {leftChange, readLeft, type Checkpoint} from './checkpoints.js'
import {guardUserChanges, type GuardOptions} from './user-changes.js'
import {checkoutTree, keepAbsent, worktreeTree, type Change} from './worktree.js'

/** A commit of the work tree. */
export interface Snapshot {
  commit: string
  tree: string
  ref: string
  /** True when the work tree matched the newest snapshot and no new commit was made. */
  reused: boolean
}

export interface SnapshotOptions {
  message?: string
  /** Store under this ref (its previous value becomes the parent) instead of the numbered series. */
  ref?: string
  /** Extra trailers (`Pare-*`). */
  trailers?: Record<string, string | number | undefined>
}

export const snapshotsPrefix = (ctx: StoreContext) => `${ctx.base}/snapshots`

/**
 * Commit the work tree. Numbered snapshots live at `<base>/snapshots/NNNNNNNN`, each with HEAD as its
 * parent (so `git show` of a snapshot is the uncommitted work on top of the commit it sat on); the
 * series is ordered by number rather than chained, so gc can drop old ones by deleting refs.
 */
export async function takeSnapshot(ctx: StoreContext, opts: SnapshotOptions = {}): Promise<Snapshot> {
  const prefix = snapshotsPrefix(ctx)
  // Everything that does not depend on the tree runs beside the work-tree hashing.
  const [tree, head, prev, refs] = await Promise.all([
    worktreeTree(ctx),
    revParse(ctx, 'HEAD^{commit}'),
    opts.ref ? readRef(ctx, opts.ref) : Promise.resolve(null),
    opts.ref ? Promise.resolve([]) : listRefs(ctx, prefix),
  ])
  const message = formatMessage(opts.message ?? 'snapshot', {'Pare-Kind': 'snapshot', ...opts.trailers})
  if (opts.ref) {
    const commit = await writeCommit(ctx, tree, prev ? [prev] : head ? [head] : [], message)
    await updateRef(ctx, opts.ref, commit, prev, 'git-pare: snapshot')
    return {commit, tree, ref: opts.ref, reused: false}
  }
  const n = maxSeq(refs, prefix)
  const last = refs.find((r) => r.ref === `${prefix}/${seqName(n)}`)
  if (last && last.tree === tree && !opts.message && !opts.trailers) {
    const parent = await revParse(ctx, `${last.oid}^`)
    if (parent === head) return {commit: last.oid, tree, ref: last.ref, reused: true}
  }
  const commit = await writeCommit(ctx, tree, head ? [head] : [], message)
  const ref = `${prefix}/${seqName(n + 1)}`
  await updateRef(ctx, ref, commit, null, 'git-pare: snapshot')
  return {commit, tree, ref, reused: false}
}

/** Result of a restore. */
export interface RestoreResult {
  /** The state before the restore, kept so the restore can be undone. */
  before: Snapshot
  tree: string
  /** What the restore did to the work tree. */
  changed: Change[]
  /** The user's own changes, kept as this checkpoint first (`force`). */
  kept?: Checkpoint
}

export interface RestoreOptions {
  /** Files present now that the target lacks and this selects are left as they are, not removed (a session's
   * `work` tree is recorded without untracked secret files; restoring it must not delete them). */
  keepAbsent?: (repoPath: string) => boolean
  /**
   * Refuse to overwrite files git pare did not make, as undo does: `known` are the trees git pare left (the state it
   * last left the work tree in is added). Without `known` trees and no such record, nothing is checked.
   */
  guard?: Pick<GuardOptions, 'command' | 'action' | 'label' | 'force'> & {known?: string[]}
}

/**
 * Make the work tree identical to a snapshot's tree; the current state is snapshotted first, and recorded as the
 * state git pare left once the restore is done.
 */
export async function restoreTree(ctx: StoreContext, target: string, opts: RestoreOptions = {}): Promise<RestoreResult> {
  const found = await revParse(ctx, `${target}^{tree}`)
  if (!found) throw new UsageError(`no such snapshot or commit: ${target}`, 'see `git pare log` for checkpoints')
  const [current, left] = await Promise.all([worktreeTree(ctx), readLeft(ctx)])
  const tree = opts.keepAbsent ? (await keepAbsent(ctx, current, found, opts.keepAbsent)).tree : found
  let kept: Checkpoint | undefined
  if (opts.guard) {
    const known = [...(opts.guard.known ?? []), ...(left ? [left.tree] : [])]
    kept = await guardUserChanges(ctx, {...opts.guard, current, target: tree, known, base: left?.commit ?? null})
  }
  const before = await takeSnapshot(ctx)
  const changed = await checkoutTree(ctx, before.tree, tree)
  const head = await revParse(ctx, 'HEAD^{commit}')
  const done = await writeCommit(ctx, tree, head ? [head] : [], formatMessage('restored', {'Pare-Kind': 'left'}))
  await updateRefs(ctx, [await leftChange(ctx, done)], 'git-pare: restore')
  return {before, tree, changed, ...(kept ? {kept} : {})}
}
