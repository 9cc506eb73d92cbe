import {isKept, leftChange, listCheckpoints, metaOf, readLeft, redoPrefix, undoStack, cpPrefix, type Checkpoint, type Meta} from './checkpoints.js'
import type {StoreContext} from './context.js'
import {formatMessage, parseTrailers, readCommits, writeCommit} from './objects.js'
import {listRefs, maxSeq, readRef, readSymbolic, seqName, updateRefs, type RefChange} from './refs.js'
import {guardUserChanges} from './user-changes.js'
import {checkoutTree, diffNames, worktreeTree} from './worktree.js'

/** A branch move made (or skipped) by undo/redo. */
export interface BranchMove {
  ref: string
  from: string
  to: string
  moved: boolean
  reason?: string
}

export interface UndoResult {
  /** The checkpoint the work tree went back to (now off the stack, kept under the redo ref). */
  checkpoint: Checkpoint
  /** The state before the undo; `redo` brings it back. */
  saved: string
  redoRef: string
  /** What the undo did to the work tree (`D` = a file the undone work had added, now removed). */
  changed: {status: string; path: string}[]
  branch?: BranchMove
  /** With `force`: the user's own changes, kept as this checkpoint before the undo overwrote them. */
  kept?: Checkpoint
}

export interface RedoResult {
  checkpoint: Checkpoint
  restored: string
  changed: {status: string; path: string}[]
  branch?: BranchMove
  kept?: Checkpoint
}

export interface MoveOptions {
  /** Keep changes git pare did not make as a checkpoint and go ahead, instead of refusing. */
  force?: boolean
}

// Move a recorded branch only when it is safe: still where we left it, and if checked out here, with
// an index that matches HEAD (then the index follows, keeping stat info for unchanged entries).
async function planBranchMove(ctx: StoreContext, ref: string | undefined, from: string | null, to: string | undefined): Promise<BranchMove | undefined> {
  if (!ref || !to || !from || from === to) return undefined
  const current = await readRef(ctx, ref)
  if (current !== from) return {ref, from, to, moved: false, reason: `${ref} has moved since; left as it is`}
  if ((await readSymbolic(ctx, 'HEAD')) === ref) {
    const clean = await ctx.run(['diff-index', '--cached', '--quiet', 'HEAD', '--'], {allowFail: true})
    if (clean.code !== 0) return {ref, from, to, moved: false, reason: `${ref} is checked out with staged changes; left as it is`}
  }
  return {ref, from, to, moved: true}
}

async function syncIndexAfterMove(ctx: StoreContext, move: BranchMove | undefined): Promise<void> {
  if (move?.moved && (await readSymbolic(ctx, 'HEAD')) === move.ref) await ctx.run(['reset', '-q', '--no-refresh', move.to, '--', '.'])
}

/**
 * Go back to the newest checkpoint: save the current state under `<base>/redo/NNNNNNNN`, restore the
 * checkpoint's tree, pop it, and move a recorded branch (`Pare-Branch` at `Pare-Branch-Commit`) back.
 * When the run after the checkpoint recorded the tree it left, a file that differs from it is the user's: the undo
 * is refused naming it, or with `force` the work tree is kept as a checkpoint first.
 * An undo that was interrupted (killed) is finished by running it again. Null when there is nothing to undo.
 */
export async function undoCheckpoint(ctx: StoreContext, opts: MoveOptions = {}): Promise<UndoResult | null> {
  const [all, redos] = await Promise.all([listCheckpoints(ctx), listRefs(ctx, redoPrefix(ctx))])
  const top = undoStack(all).at(-1)
  if (!top) return null
  const rprefix = redoPrefix(ctx)
  const lastRedo = redos.find((r) => r.ref === `${rprefix}/${seqName(maxSeq(redos, rprefix))}`)
  const pending = lastRedo ? (await readCommits(ctx, [lastRedo.oid]))[0] : null
  const current = await worktreeTree(ctx)
  let saved: string
  let savedTree: string
  let redoRef: string
  let branch: BranchMove | undefined
  let kept: Checkpoint | undefined
  if (pending && pending.parents[0] === top.commit && parseTrailers(pending.message)['Pare-Checkpoint'] === top.ref) {
    // A previous undo of this checkpoint was interrupted after saving the state: finish it.
    const t = parseTrailers(pending.message)
    saved = pending.oid
    savedTree = pending.tree
    redoRef = lastRedo!.ref
    branch = await planBranchMove(ctx, t['Pare-Branch'], t['Pare-Branch-From'] ?? null, t['Pare-Branch-To'])
    if (branch && !branch.moved && (await readRef(ctx, branch.ref)) === branch.to) branch = undefined
  } else {
    if (top.after) {
      kept = await guardUserChanges(ctx, {
        command: 'git pare undo',
        action: `undoing checkpoint ${top.seq}`,
        current,
        target: top.tree,
        known: [top.after.tree],
        base: top.after.commit,
        force: opts.force,
        label: `kept: your changes before undoing checkpoint ${top.seq}`,
        meta: {keptBefore: `undo of checkpoint ${top.seq}`},
      })
    }
    const from = top.meta.branch ? await readRef(ctx, top.meta.branch) : null
    branch = await planBranchMove(ctx, top.meta.branch, from, top.meta.branchCommit)
    const trailers: Meta = {'Pare-Kind': 'redo', 'Pare-Checkpoint': top.ref}
    if (branch?.moved) Object.assign(trailers, {'Pare-Branch': branch.ref, 'Pare-Branch-From': branch.from, 'Pare-Branch-To': branch.to})
    saved = await writeCommit(ctx, current, [top.commit], formatMessage(`undo: ${top.label}`, trailers))
    savedTree = current
    redoRef = `${rprefix}/${seqName(maxSeq(redos, rprefix) + 1)}`
    await updateRefs(ctx, [{ref: redoRef, new: saved, old: null}], 'git-pare: undo (save)')
  }
  const did = await checkoutTree(ctx, current, top.tree)
  const changes: RefChange[] = [{ref: top.ref, new: null, old: top.commit}, await leftChange(ctx, top.commit)]
  if (branch?.moved) changes.push({ref: branch.ref, new: branch.to, old: branch.from})
  await updateRefs(ctx, changes, 'git-pare: undo')
  await syncIndexAfterMove(ctx, branch)
  return {checkpoint: top, saved, redoRef, changed: current === savedTree ? did : await diffNames(ctx, savedTree, top.tree), branch, ...(kept ? {kept} : {})}
}

/**
 * Bring back the state the newest undo saved, and put its checkpoint back on the stack. The work tree should be what
 * that undo (or a later git pare command) left; a file that differs from it is the user's and is guarded as in undo.
 * Null when there is nothing to redo.
 */
export async function redoCheckpoint(ctx: StoreContext, opts: MoveOptions = {}): Promise<RedoResult | null> {
  const rprefix = redoPrefix(ctx)
  const redos = await listRefs(ctx, rprefix)
  const n = maxSeq(redos, rprefix)
  const entry = redos.find((r) => r.ref === `${rprefix}/${seqName(n)}`)
  if (!entry) return null
  const [saved] = await readCommits(ctx, [entry.oid])
  const t = parseTrailers(saved!.message)
  const cpCommit = saved!.parents[0]!
  const [cp] = await readCommits(ctx, [cpCommit])
  const cpRef = t['Pare-Checkpoint'] ?? `${cpPrefix(ctx)}/${seqName(n)}`
  const [current, left] = await Promise.all([worktreeTree(ctx), readLeft(ctx)])
  const kept = await guardUserChanges(ctx, {
    command: 'git pare redo',
    action: `redoing checkpoint ${Number(cpRef.slice(-8))}`,
    current,
    target: saved!.tree,
    known: [cp!.tree, ...(left ? [left.tree] : [])],
    base: left?.commit ?? cpCommit,
    force: opts.force,
    label: `kept: your changes before redoing checkpoint ${Number(cpRef.slice(-8))}`,
    meta: {keptBefore: `redo of checkpoint ${Number(cpRef.slice(-8))}`},
  })
  const changed = await checkoutTree(ctx, current, saved!.tree)
  let branch: BranchMove | undefined
  if (t['Pare-Branch'] && t['Pare-Branch-To'] && t['Pare-Branch-From']) {
    branch = await planBranchMove(ctx, t['Pare-Branch'], t['Pare-Branch-To'], t['Pare-Branch-From'])
  }
  const changes: RefChange[] = [
    {ref: cpRef, new: cpCommit, old: null},
    {ref: entry.ref, new: null, old: entry.oid},
    await leftChange(ctx, entry.oid),
  ]
  if (branch?.moved) changes.push({ref: branch.ref, new: branch.to, old: branch.from})
  await updateRefs(ctx, changes, 'git-pare: redo')
  await syncIndexAfterMove(ctx, branch)
  const checkpoint: Checkpoint = {ref: cpRef, seq: Number(cpRef.slice(-8)), commit: cpCommit, tree: cp!.tree, label: cp!.message.split('\n')[0] ?? '', meta: metaOf(cp!.message), time: cp!.time}
  // The run's after record was never removed: the checkpoint comes back with it.
  const back = (await listCheckpoints(ctx)).find((c) => c.ref === cpRef && !isKept(c))
  if (back?.after) checkpoint.after = back.after
  return {checkpoint, restored: entry.oid, changed, branch, ...(kept ? {kept} : {})}
}
