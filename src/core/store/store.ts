import type {StoreContext} from './context.js'
import {makeContext} from './context.js'
import {createCheckpoint, discardCheckpoint, listCheckpoints, recordAfter, type AfterState, type Checkpoint, type Meta} from './checkpoints.js'
import {redoCheckpoint, undoCheckpoint, type MoveOptions, type RedoResult, type UndoResult} from './undo-redo.js'
import {gcRefs, type GcResult} from './gc.js'
import {collectLog, type LogEntry} from './log.js'
import {RepoLock} from './lock.js'
import {readObjects, readText, revParse, writeBlob, writeCommit, writeTree, type BatchObject, type TreeEntry} from './objects.js'
import {activePlan, listPlans, readPlan, setActivePlan, writePlan, type PlanListing, type PlanRecord} from './plans.js'
import {assertWorkable} from './preconditions.js'
import {updateRefs, type RefChange} from './refs.js'
import {findRepo, type RepoPaths} from './repo.js'
import {appendTurn, listSessions, readSession, rollbackSession, type RollbackResult, type SessionListing, type SessionTurn, type TurnInput} from './sessions.js'
import {restoreTree, takeSnapshot, type RestoreOptions, type RestoreResult, type Snapshot, type SnapshotOptions} from './snapshots.js'
import {pullRefs, pushRefs, type PullResult, type PushOptions, type PushResult} from './sync.js'
import {worktreeTree} from './worktree.js'

export interface StoreOptions {
  clock?: () => Date
  /** How long a write waits for another git pare holding the lock, in ms (default 3000). */
  lockWait?: number
  /** Called with each warning (also collected in `store.warnings`). */
  onWarning?: (message: string) => void
}

/** Git as the database: every piece of git-pare state, behind one interface. Writes take the repository lock. */
export interface Store {
  readonly paths: RepoPaths
  readonly ctx: StoreContext
  /** Warnings so far (a stale lock cleared, a branch left in place). */
  readonly warnings: string[]
  /** Hold the repository lock around `fn` (re-entrant within this store). */
  withLock<T>(fn: () => Promise<T>, opts?: {wait?: number}): Promise<T>
  /** Throw a RepoStateError when a merge, rebase, cherry-pick, revert or bisect is in progress. */
  assertWorkable(): void
  snapshot(opts?: SnapshotOptions): Promise<Snapshot>
  /** The work tree as a tree id, without recording a commit. */
  worktreeTree(): Promise<string>
  /** Make the work tree a commit's tree; with `guard`, refuse to overwrite files git pare did not make. */
  restore(commit: string, opts?: RestoreOptions): Promise<RestoreResult>
  checkpoint(label: string, meta?: Meta): Promise<Checkpoint>
  /** Every checkpoint, oldest first, kept ones included. */
  checkpoints(): Promise<Checkpoint[]>
  /** Take back a checkpoint nothing happened after (a run that failed before any tool ran). */
  discardCheckpoint(cp: Checkpoint): Promise<void>
  /** Record the tree the run after `cp` left (default: the work tree now) and how it ended. */
  recordAfter(cp: Checkpoint, o: {tree?: string; outcome: string; session?: string; turn?: number}): Promise<AfterState>
  /** Refused (RepoStateError `user_changes`) when it would overwrite work git pare did not make, unless `force`. */
  undo(opts?: MoveOptions): Promise<UndoResult | null>
  redo(opts?: MoveOptions): Promise<RedoResult | null>
  readPlan(id: string): Promise<PlanRecord | null>
  /** `expect`: the commit the plan must be at (compare-and-swap); `trailers`: extra `Pare-*` lines. */
  writePlan(id: string, yaml: string, message: string, expect?: string | null, trailers?: Record<string, string | number>): Promise<string>
  listPlans(): Promise<PlanListing[]>
  activePlan(): Promise<string | null>
  setActivePlan(id: string | null): Promise<void>
  appendTurn(id: string, turn: TurnInput): Promise<{commit: string; turn: number}>
  listSessions(): Promise<SessionListing[]>
  readSession(id: string, opts?: {turn?: number}): Promise<SessionTurn | null>
  rollbackSession(id: string, n: number, opts?: {restoreWork?: boolean; force?: boolean}): Promise<RollbackResult>
  updateRef(ref: string, next: string | null, old: string | null): Promise<void>
  updateRefs(changes: RefChange[]): Promise<void>
  writeBlob(content: string | Buffer): Promise<string>
  writeTree(entries: TreeEntry[]): Promise<string>
  writeCommit(tree: string, parents: string[], message: string): Promise<string>
  readObjects(specs: string[]): Promise<(BatchObject | null)[]>
  readText(spec: string): Promise<string | null>
  revParse(rev: string): Promise<string | null>
  gc(opts?: {keep?: number}): Promise<GcResult>
  /** Refused with SecretsFoundError when what would be sent holds secrets, unless `allowSecrets`. */
  push(remote?: string, opts?: PushOptions): Promise<PushResult>
  pull(remote?: string): Promise<PullResult>
  log(): Promise<LogEntry[]>
}

/** Open the store of the repository containing `where` (a directory, or paths from findRepo). */
export async function openStore(where: string | RepoPaths, opts: StoreOptions = {}): Promise<Store> {
  const paths = typeof where === 'string' ? await findRepo(where) : where
  const ctx = makeContext(paths, opts.clock)
  const lock = new RepoLock(paths.commonDir)
  const warnings: string[] = []
  const warn = (m: string) => {
    warnings.push(m)
    opts.onWarning?.(m)
  }
  const locked = <T>(fn: () => Promise<T>, wait = opts.lockWait ?? 3000) => lock.with(fn, {wait, onWarning: warn})
  const workable = <T>(fn: () => Promise<T>) =>
    locked(async () => {
      assertWorkable(paths)
      return fn()
    })
  const branchNote = <T extends {branch?: {moved: boolean; reason?: string}} | null>(r: T): T => {
    if (r?.branch && !r.branch.moved && r.branch.reason) warn(r.branch.reason)
    return r
  }
  return {
    paths,
    ctx,
    warnings,
    withLock: (fn, o) => locked(fn, o?.wait),
    assertWorkable: () => assertWorkable(paths),
    snapshot: (o) => locked(() => takeSnapshot(ctx, o)),
    worktreeTree: () => locked(() => worktreeTree(ctx)),
    restore: (commit, o) => workable(() => restoreTree(ctx, commit, o)),
    checkpoint: (label, meta) => workable(() => createCheckpoint(ctx, label, meta)),
    checkpoints: () => listCheckpoints(ctx),
    discardCheckpoint: (cp) => locked(() => discardCheckpoint(ctx, cp)),
    recordAfter: (cp, o) => locked(() => recordAfter(ctx, cp, o)),
    undo: (o) => workable(async () => branchNote(await undoCheckpoint(ctx, o))),
    redo: (o) => workable(async () => branchNote(await redoCheckpoint(ctx, o))),
    readPlan: (id) => readPlan(ctx, id),
    writePlan: (id, yaml, message, expect, trailers) => locked(() => writePlan(ctx, id, yaml, message, expect, trailers)),
    listPlans: () => listPlans(ctx),
    activePlan: () => activePlan(ctx),
    setActivePlan: (id) => locked(() => setActivePlan(ctx, id)),
    appendTurn: (id, turn) => locked(() => appendTurn(ctx, id, turn)),
    listSessions: () => listSessions(ctx),
    readSession: (id, o) => readSession(ctx, id, o),
    rollbackSession: (id, n, o) => workable(() => rollbackSession(ctx, id, n, o)),
    updateRef: (ref, next, old) => updateRefs(ctx, [{ref, new: next, old}]),
    updateRefs: (changes) => updateRefs(ctx, changes),
    writeBlob: (content) => writeBlob(ctx, content),
    writeTree: (entries) => writeTree(ctx, entries),
    writeCommit: (tree, parents, message) => writeCommit(ctx, tree, parents, message),
    readObjects: (specs) => readObjects(ctx, specs),
    readText: (spec) => readText(ctx, spec),
    revParse: (rev) => revParse(ctx, rev),
    gc: (o) => locked(() => gcRefs(ctx, o?.keep ?? 50)),
    push: (remote = 'origin', o) => pushRefs(ctx, remote, o),
    pull: (remote = 'origin') => locked(() => pullRefs(ctx, remote)),
    log: () => collectLog(ctx),
  }
}
