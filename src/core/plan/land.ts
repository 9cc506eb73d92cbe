import {RepoStateError} from '../errors/index.js'
import type {Store} from '../store/store.js'
import {applyTreeDiff} from '../store/tree-patch.js'

/** Where a plan's own changes begin on its branch, and the commits that hold them. */
export interface PlanChange {
  /** The commit the plan's own work starts from: the base, or the commit that carried the user's uncommitted changes. */
  from: string
  tip: string
  /** Base commit of the plan (where `from` sits when there was nothing uncommitted). */
  base: string
}

const treeOf = async (store: Store, commit: string) => (await store.revParse(`${commit}^{tree}`))!

function conflictError(what: string, conflicts: string[], hint: string): RepoStateError {
  const list = conflicts.slice(0, 3).join(', ') + (conflicts.length > 3 ? ` and ${conflicts.length - 3} more` : '')
  return new RepoStateError(`${what} (conflict in ${list}); nothing was changed`, hint, 'merge_conflict')
}

/**
 * The squashed change on top of `onto`: the tip's tree when nothing else moved, else the plan's change applied
 * three-way. Nothing is written but objects.
 */
export async function squashTree(store: Store, change: PlanChange, onto: string, hint: {what: string; hint: string}): Promise<string> {
  const [from, tip, target] = await Promise.all([treeOf(store, change.from), treeOf(store, change.tip), treeOf(store, onto)])
  const res = await applyTreeDiff(store.ctx, from, tip, target)
  if ('conflicts' in res) throw conflictError(hint.what, res.conflicts, hint.hint)
  return res.tree
}

/**
 * The plan's commits replayed onto the base commit without the one that carried the user's uncommitted changes
 * (same messages, one after another), so a merge keeps the steps and leaves those changes out. Unchanged when
 * there was no such commit.
 */
export async function replaySteps(store: Store, change: PlanChange, hint: {what: string; hint: string}): Promise<string> {
  if (change.from === change.base) return change.tip
  const list = (await store.ctx.run(['rev-list', '--reverse', '--first-parent', `${change.from}..${change.tip}`])).stdout.split('\n').filter(Boolean)
  let prev = change.base
  let prevTree = await treeOf(store, prev)
  for (const c of list) {
    const [commit] = await store.readObjects([c])
    const text = commit!.content.toString('utf8')
    const parent = /^parent ([0-9a-f]+)$/m.exec(text)?.[1]
    const message = text.slice(text.indexOf('\n\n') + 2)
    const res = await applyTreeDiff(store.ctx, await treeOf(store, parent!), await treeOf(store, c), prevTree)
    if ('conflicts' in res) throw conflictError(hint.what, res.conflicts, hint.hint)
    prev = await store.writeCommit(res.tree, [prev], message)
    prevTree = res.tree
  }
  return prev
}
