import {UsageError} from '../errors/index.js'
import {isKept, listCheckpoints, undoStack, type Checkpoint} from './checkpoints.js'
import type {StoreContext} from './context.js'
import {readCommits, revParse} from './objects.js'
import {diffNames, worktreeTree} from './worktree.js'

/** A checkpoint named by its number (`3`), its ref, or any commit; when spec is omitted, the newest one undo goes back to. */
export async function resolveCheckpoint(ctx: StoreContext, spec?: string): Promise<Checkpoint> {
  const stack = await listCheckpoints(ctx)
  if (spec === undefined) {
    const top = undoStack(stack).at(-1)
    if (!top) throw new UsageError('there are no checkpoints yet', 'checkpoints are made before each agent run and plan step')
    return top
  }
  if (/^\d{1,8}$/.test(spec)) {
    const hit = stack.find((c) => c.seq === Number(spec))
    if (hit) return hit
  }
  const byRef = stack.find((c) => c.ref === spec || c.ref.endsWith(`/${spec}`))
  if (byRef) return byRef
  const oid = spec.startsWith('-') ? null : await revParse(ctx, `${spec}^{commit}`)
  if (!oid) throw new UsageError(`no checkpoint "${spec}"`, 'see `git pare log` for checkpoints')
  const known = stack.find((c) => c.commit === oid)
  if (known) return known
  const [c] = await readCommits(ctx, [oid])
  return {ref: oid, seq: 0, commit: oid, tree: c!.tree, label: c!.message.split('\n')[0] ?? '', meta: {}, time: c!.time}
}

/** What `show N` compares, and with what: `after` (the run's recorded end), `next` (the checkpoint after it), `worktree`, `kept`, `parent`. */
export interface CheckpointChange {
  from: string | null
  to: string
  compared: 'after' | 'next' | 'worktree' | 'kept' | 'parent'
}

/**
 * The change that belongs to checkpoint N: what run (or step) N did, from the checkpoint to the state that run
 * left. Without a recorded end, up to the next checkpoint, or the work tree for the newest; a kept checkpoint's
 * change is the user's work it kept (from the state git pare had left); any other commit, from its parent.
 */
export async function changeOf(ctx: StoreContext, cp: Checkpoint): Promise<CheckpointChange> {
  const parentTree = () => revParse(ctx, `${cp.commit}^^{tree}`)
  if (!cp.seq) return {from: await parentTree(), to: cp.tree, compared: 'parent'}
  if (isKept(cp)) return {from: await parentTree(), to: cp.tree, compared: 'kept'}
  if (cp.after) return {from: cp.tree, to: cp.after.tree, compared: 'after'}
  const next = undoStack(await listCheckpoints(ctx)).find((c) => c.seq > cp.seq)
  if (next) return {from: cp.tree, to: next.tree, compared: 'next'}
  return {from: cp.tree, to: await worktreeTree(ctx), compared: 'worktree'}
}

export interface TreeDiff {
  files: {status: string; path: string}[]
  patch: string
  stat: string
}

/** Diff between two trees (null = empty tree): names, patch and stat. */
export async function diffTrees(ctx: StoreContext, from: string | null, to: string, opts: {patch?: boolean} = {}): Promise<TreeDiff> {
  const a = from ?? (await ctx.run(['hash-object', '-w', '-t', 'tree', '--stdin'], {input: ''})).stdout.trim()
  const [files, stat, patch] = await Promise.all([
    diffNames(ctx, a, to),
    ctx.run(['diff-tree', '-r', '--stat', '--summary', a, to]),
    opts.patch === false ? Promise.resolve({stdout: ''}) : ctx.run(['diff-tree', '-r', '-p', '--binary', a, to]),
  ])
  return {files, stat: stat.stdout.trimEnd(), patch: patch.stdout}
}

/** Diff from a checkpoint to the work tree as it is now (untracked files included). */
export async function diffWorktree(ctx: StoreContext, cp: Checkpoint, opts: {patch?: boolean} = {}): Promise<TreeDiff> {
  return diffTrees(ctx, cp.tree, await worktreeTree(ctx), opts)
}
