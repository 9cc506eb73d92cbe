import type {StoreContext} from './context.js'
import {formatMessage, metaKeyToTrailer, parseTrailers, readCommits, revParse, trailerToMetaKey, writeCommit, type CommitInfo} from './objects.js'
import {listRefs, maxSeq, readRef, seqName, updateRefs, type RefChange, type RefEntry} from './refs.js'
import {worktreeTree} from './worktree.js'

/** The work tree as the run (or step) that followed a checkpoint left it, recorded when it ended. */
export interface AfterState {
  commit: string
  tree: string
  /** `done`, `stopped: …` or `interrupted: …`. */
  outcome: string
}

/**
 * A point the work tree can be taken back to. Checkpoint N is the work tree as it was before run (or plan step) N;
 * numbers are never reused in a work tree, so `show N`, `diff N`, `log` and `undo` mean the same N.
 */
export interface Checkpoint {
  ref: string
  seq: number
  commit: string
  tree: string
  label: string
  /** From the commit's `Pare-*` trailers: `Pare-Plan-Id` -> `planId`. */
  meta: Record<string, string>
  time: Date
  /** What the run that followed left, when it recorded that (runs do; plan steps and crashed runs do not). */
  after?: AfterState
  /** The ref changes that take this checkpoint back (only on the object `createCheckpoint` returns). */
  revert?: RefChange[]
}

export type Meta = Record<string, string | number | undefined>

export const cpPrefix = (ctx: StoreContext) => `${ctx.base}/checkpoints`
export const redoPrefix = (ctx: StoreContext) => `${ctx.base}/redo`
const afterPrefix = (ctx: StoreContext) => `${ctx.base}/after`
/** The newest checkpoint ever made here: its `Pare-Seq` is the high-water mark that keeps numbers unique after undo. */
const seqRef = (ctx: StoreContext) => `${ctx.base}/checkpoint-seq`
/** A commit whose tree is the work tree as git pare last left it (a checkpoint, a run's end, an undo, a redo, a restore). */
export const leftRef = (ctx: StoreContext) => `${ctx.base}/left`

/** A kept checkpoint records work git pare did not make, so that an undo could proceed; undo never goes back to one. */
export const isKept = (c: Checkpoint) => c.meta.kind === 'kept'

// `Pare-Kind: checkpoint` is ours; a caller's own `kind` (e.g. "run") replaces it and is kept in meta.
export function metaOf(message: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(parseTrailers(message))) {
    if (k.startsWith('Pare-') && !(k === 'Pare-Kind' && v === 'checkpoint')) out[trailerToMetaKey(k)] = v
  }
  return out
}

const direct = (refs: RefEntry[], prefix: string) => refs.filter((r) => /\/\d{8}$/.test(r.ref) && r.ref.startsWith(`${prefix}/`) && !r.ref.slice(prefix.length + 1).includes('/'))

/** A checkpoint from its ref and commit. */
export function toCheckpoint(ref: string, c: CommitInfo): Checkpoint {
  return {ref, seq: Number(ref.slice(-8)), commit: c.oid, tree: c.tree, label: c.message.split('\n')[0] ?? '', meta: metaOf(c.message), time: c.time}
}

/** Every checkpoint of this work tree, oldest first (kept ones included: `undoStack` leaves them out). */
export async function listCheckpoints(ctx: StoreContext): Promise<Checkpoint[]> {
  const [cps, afters] = await Promise.all([listRefs(ctx, cpPrefix(ctx)), listRefs(ctx, afterPrefix(ctx))])
  const refs = direct(cps, cpPrefix(ctx))
  const afterRefs = direct(afters, afterPrefix(ctx))
  const commits = await readCommits(ctx, [...refs.map((r) => r.oid), ...afterRefs.map((r) => r.oid)])
  const afterBySeq = new Map<number, CommitInfo>()
  afterRefs.forEach((r, i) => {
    const c = commits[refs.length + i]
    if (c) afterBySeq.set(Number(r.ref.slice(-8)), c)
  })
  return refs.flatMap((r, i) => {
    const c = commits[i]
    if (!c) return []
    const cp = toCheckpoint(r.ref, c)
    const a = afterBySeq.get(cp.seq)
    // Only an after record made on top of this very checkpoint counts (not one left by an older checkpoint N).
    if (a && a.parents[0] === cp.commit) cp.after = {commit: a.oid, tree: a.tree, outcome: parseTrailers(a.message)['Pare-Outcome'] ?? 'done'}
    return [cp]
  })
}

/** The checkpoints `undo` goes back through, oldest first. */
export function undoStack(all: Checkpoint[]): Checkpoint[] {
  return all.filter((c) => !isKept(c))
}

/** The number the next checkpoint will get: past every one made here, even those undone since. */
export async function nextSeq(ctx: StoreContext, refs?: RefEntry[]): Promise<number> {
  const [listed, hw] = await Promise.all([refs ?? listRefs(ctx, cpPrefix(ctx)), readRef(ctx, seqRef(ctx))])
  const high = hw ? Number(parseTrailers((await readCommits(ctx, [hw]))[0]?.message ?? '')['Pare-Seq'] ?? 0) || 0 : 0
  return Math.max(maxSeq(listed, cpPrefix(ctx)), high) + 1
}

/** The work tree as git pare last left it, or null when nothing recorded it yet. */
export async function readLeft(ctx: StoreContext): Promise<{commit: string; tree: string; old: string} | null> {
  const commit = await readRef(ctx, leftRef(ctx))
  if (!commit) return null
  const tree = await revParse(ctx, `${commit}^{tree}`)
  return tree ? {commit, tree, old: commit} : null
}

/** The ref change that records `commit`'s tree as the state git pare leaves the work tree in. */
export async function leftChange(ctx: StoreContext, commit: string): Promise<RefChange> {
  return {ref: leftRef(ctx), new: commit, old: await readRef(ctx, leftRef(ctx))}
}

interface WriteOptions {
  tree: string
  parents: string[]
  label: string
  trailers: Meta
  /** Archive pending redo entries (a new piece of work replaces them); kept checkpoints leave them. */
  archiveRedo: boolean
}

async function writeCheckpoint(ctx: StoreContext, o: WriteOptions): Promise<Checkpoint> {
  const prefix = cpPrefix(ctx)
  const [refs, redos, hw] = await Promise.all([listRefs(ctx, prefix), o.archiveRedo ? listRefs(ctx, redoPrefix(ctx)) : Promise.resolve([]), readRef(ctx, seqRef(ctx))])
  const seq = await nextSeq(ctx, refs)
  const trailers: Meta = {'Pare-Kind': 'checkpoint', 'Pare-Seq': seq}
  for (const [k, v] of Object.entries(o.trailers)) trailers[k.startsWith('Pare-') ? k : metaKeyToTrailer(k)] = v
  const message = formatMessage(o.label, trailers)
  const commit = await writeCommit(ctx, o.tree, o.parents, message)
  const ref = `${prefix}/${seqName(seq)}`
  const stamp = ctx.now().getTime()
  const left = await leftChange(ctx, commit)
  const changes: RefChange[] = [{ref, new: commit, old: null}, {ref: seqRef(ctx), new: commit, old: hw}, left]
  // Exactly the reverse, should nothing happen after this checkpoint (discardCheckpoint).
  const revert: RefChange[] = [{ref, new: null, old: commit}, {ref: seqRef(ctx), new: hw, old: commit}, {ref: left.ref, new: left.old, old: commit}]
  for (const r of redos) {
    const to = `${ctx.base}/archive/redo/${stamp}-${r.ref.split('/').pop()}`
    changes.push({ref: r.ref, new: null, old: r.oid}, {ref: to, new: r.oid, old: null})
    revert.push({ref: to, new: null, old: r.oid}, {ref: r.ref, new: r.oid, old: null})
  }
  await updateRefs(ctx, changes, 'git-pare: checkpoint')
  return {ref, seq, commit, tree: o.tree, label: o.label.split('\n')[0]!, meta: metaOf(message), time: ctx.now(), revert}
}

/** Record the work tree as it is now on top of the checkpoint stack; pending redo entries are archived. */
export async function createCheckpoint(ctx: StoreContext, label: string, meta: Meta = {}): Promise<Checkpoint> {
  const [tree, head] = await Promise.all([worktreeTree(ctx), revParse(ctx, 'HEAD^{commit}')])
  const full: Meta = {...meta}
  if (full.branch && !full.branchCommit) full.branchCommit = (await readRef(ctx, String(full.branch))) ?? undefined
  return writeCheckpoint(ctx, {tree, parents: head ? [head] : [], label, trailers: full, archiveRedo: true})
}

/**
 * Keep `tree` (work git pare did not make, about to be overwritten) as a checkpoint of kind `kept`. Its parent is
 * `base`, the state git pare had left, so `git pare show N` and `git show` print exactly the user's changes.
 */
export async function keepCheckpoint(ctx: StoreContext, tree: string, base: string | null, label: string, meta: Meta = {}): Promise<Checkpoint> {
  const parent = base ?? (await revParse(ctx, 'HEAD^{commit}'))
  return writeCheckpoint(ctx, {tree, parents: parent ? [parent] : [], label, trailers: {...meta, kind: 'kept'}, archiveRedo: false})
}

/**
 * Take back a checkpoint nothing happened after (a run that failed before any tool ran), as if it had never been
 * made: its ref goes, the number and the recorded state go back, and the redo entries it archived come back.
 */
export async function discardCheckpoint(ctx: StoreContext, cp: Checkpoint): Promise<void> {
  await updateRefs(ctx, cp.revert ?? [{ref: cp.ref, new: null, old: cp.commit}], 'git-pare: discard checkpoint')
}

/**
 * Record the state a run left after checkpoint `cp` (`<base>/after/N`: a commit of that tree on top of the
 * checkpoint, so `git show` of it is exactly the run's change), with its outcome and session turn.
 */
export async function recordAfter(
  ctx: StoreContext,
  cp: Checkpoint,
  o: {tree?: string; outcome: string; session?: string; turn?: number},
): Promise<AfterState> {
  const tree = o.tree ?? (await worktreeTree(ctx))
  const ref = `${afterPrefix(ctx)}/${seqName(cp.seq)}`
  const outcome = o.outcome.replace(/\s+/g, ' ').trim().slice(0, 200) || 'done'
  const trailers: Meta = {'Pare-Kind': 'after', 'Pare-Checkpoint': cp.ref, 'Pare-Seq': cp.seq, 'Pare-Outcome': outcome, 'Pare-Session': o.session, 'Pare-Turn': o.turn}
  const commit = await writeCommit(ctx, tree, [cp.commit], formatMessage(`after: ${cp.label}`, trailers))
  await updateRefs(ctx, [{ref, new: commit, old: await readRef(ctx, ref)}, await leftChange(ctx, commit)], 'git-pare: after')
  return {commit, tree, outcome}
}
