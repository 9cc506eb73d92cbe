import type {StoreContext} from './context.js'
import {formatMessage, metaKeyToTrailer, parseTrailers, readCommits, revParse, trailerToMetaKey, writeCommit} from './objects.js'
import {listRefs, maxSeq, readRef, readSymbolic, seqName, updateRefs, type RefChange} from './refs.js'
import {takeSnapshot} from './snapshots.js'
import {checkoutTree, diffNames, worktreeTree} from './worktree.js'

/** A point the work tree can be taken back to. */
export interface Checkpoint {
  ref: string
  seq: number
  commit: string
  tree: string
  label: string
  /** From the commit's `Pare-*` trailers: `Pare-Plan-Id` -> `planId`. */
  meta: Record<string, string>
  time: Date
}

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
}

export interface RedoResult {
  checkpoint: Checkpoint
  restored: string
  changed: {status: string; path: string}[]
  branch?: BranchMove
}

export type Meta = Record<string, string | number | undefined>

const cpPrefix = (ctx: StoreContext) => `${ctx.base}/checkpoints`
const redoPrefix = (ctx: StoreContext) => `${ctx.base}/redo`

// `Pare-Kind: checkpoint` is ours; a caller's own `kind` (e.g. "run") replaces it and is kept in meta.
function metaOf(message: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(parseTrailers(message))) {
    if (k.startsWith('Pare-') && !(k === 'Pare-Kind' && v === 'checkpoint')) out[trailerToMetaKey(k)] = v
  }
  return out
}

/** The checkpoint stack, oldest first. */
export async function listCheckpoints(ctx: StoreContext): Promise<Checkpoint[]> {
  const prefix = cpPrefix(ctx)
  const refs = (await listRefs(ctx, prefix)).filter((r) => /\/\d{8}$/.test(r.ref) && r.ref.startsWith(`${prefix}/`) && !r.ref.slice(prefix.length + 1).includes('/'))
  const commits = await readCommits(ctx, refs.map((r) => r.oid))
  return refs.flatMap((r, i) => {
    const c = commits[i]
    if (!c) return []
    return [{ref: r.ref, seq: Number(r.ref.slice(-8)), commit: c.oid, tree: c.tree, label: c.message.split('\n')[0] ?? '', meta: metaOf(c.message), time: c.time}]
  })
}

/** Record the work tree as it is now on top of the checkpoint stack; pending redo entries are archived. */
export async function createCheckpoint(ctx: StoreContext, label: string, meta: Meta = {}): Promise<Checkpoint> {
  const prefix = cpPrefix(ctx)
  const [tree, head, refs, redos] = await Promise.all([worktreeTree(ctx), revParse(ctx, 'HEAD^{commit}'), listRefs(ctx, prefix), listRefs(ctx, redoPrefix(ctx))])
  const seq = maxSeq(refs, prefix) + 1
  const full: Meta = {...meta}
  if (full.branch && !full.branchCommit) full.branchCommit = (await readRef(ctx, String(full.branch))) ?? undefined
  const trailers: Meta = {'Pare-Kind': 'checkpoint', 'Pare-Seq': seq}
  for (const [k, v] of Object.entries(full)) trailers[metaKeyToTrailer(k)] = v
  const commit = await writeCommit(ctx, tree, head ? [head] : [], formatMessage(label, trailers))
  const ref = `${prefix}/${seqName(seq)}`
  const stamp = ctx.now().getTime()
  const changes: RefChange[] = [{ref, new: commit, old: null}]
  for (const r of redos) {
    changes.push({ref: r.ref, new: null, old: r.oid})
    changes.push({ref: `${ctx.base}/archive/redo/${stamp}-${r.ref.split('/').pop()}`, new: r.oid, old: null})
  }
  await updateRefs(ctx, changes, 'git-pare: checkpoint')
  return {ref, seq, commit, tree, label: label.split('\n')[0]!, meta: metaOf(formatMessage(label, trailers)), time: ctx.now()}
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
 * An undo that was interrupted (killed) is finished by running it again. Null when there is nothing to undo.
 */
export async function undoCheckpoint(ctx: StoreContext): Promise<UndoResult | null> {
  const [stack, redos] = await Promise.all([listCheckpoints(ctx), listRefs(ctx, redoPrefix(ctx))])
  const top = stack[stack.length - 1]
  if (!top) return null
  const rprefix = redoPrefix(ctx)
  const lastRedo = redos.find((r) => r.ref === `${rprefix}/${seqName(maxSeq(redos, rprefix))}`)
  const pending = lastRedo ? (await readCommits(ctx, [lastRedo.oid]))[0] : null
  const current = await worktreeTree(ctx)
  let saved: string
  let savedTree: string
  let redoRef: string
  let branch: BranchMove | undefined
  if (pending && pending.parents[0] === top.commit && parseTrailers(pending.message)['Pare-Checkpoint'] === top.ref) {
    // A previous undo of this checkpoint was interrupted after saving the state: finish it.
    const t = parseTrailers(pending.message)
    saved = pending.oid
    savedTree = pending.tree
    redoRef = lastRedo!.ref
    branch = await planBranchMove(ctx, t['Pare-Branch'], t['Pare-Branch-From'] ?? null, t['Pare-Branch-To'])
    if (branch && !branch.moved && (await readRef(ctx, branch.ref)) === branch.to) branch = undefined
  } else {
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
  const changes: RefChange[] = [{ref: top.ref, new: null, old: top.commit}]
  if (branch?.moved) changes.push({ref: branch.ref, new: branch.to, old: branch.from})
  await updateRefs(ctx, changes, 'git-pare: undo')
  await syncIndexAfterMove(ctx, branch)
  return {checkpoint: top, saved, redoRef, changed: current === savedTree ? did : await diffNames(ctx, savedTree, top.tree), branch}
}

/** Bring back the state the newest undo saved, and put its checkpoint back on the stack. Null when nothing to redo. */
export async function redoCheckpoint(ctx: StoreContext): Promise<RedoResult | null> {
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
  const before = await takeSnapshot(ctx)
  const changed = await checkoutTree(ctx, before.tree, saved!.tree)
  let branch: BranchMove | undefined
  if (t['Pare-Branch'] && t['Pare-Branch-To'] && t['Pare-Branch-From']) {
    branch = await planBranchMove(ctx, t['Pare-Branch'], t['Pare-Branch-To'], t['Pare-Branch-From'])
  }
  const changes: RefChange[] = [
    {ref: cpRef, new: cpCommit, old: null},
    {ref: entry.ref, new: null, old: entry.oid},
  ]
  if (branch?.moved) changes.push({ref: branch.ref, new: branch.to, old: branch.from})
  await updateRefs(ctx, changes, 'git-pare: redo')
  await syncIndexAfterMove(ctx, branch)
  const checkpoint: Checkpoint = {ref: cpRef, seq: Number(cpRef.slice(-8)), commit: cpCommit, tree: cp!.tree, label: cp!.message.split('\n')[0] ?? '', meta: metaOf(cp!.message), time: cp!.time}
  return {checkpoint, restored: entry.oid, changed, branch}
}
