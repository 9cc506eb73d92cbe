import {RepoStateError} from '../errors/index.js'
import {isKept, keepCheckpoint, listCheckpoints, nextSeq, type Checkpoint, type Meta} from './checkpoints.js'
import type {StoreContext} from './context.js'
import {diffNames} from './worktree.js'

// Never lose user work: before git pare moves the work tree (undo, redo, session rollback, restore), the files it would
// overwrite are compared with the states git pare itself left or recorded. A file whose content is in none of them is
// the user's; the move is refused naming it, or, with --force, the whole work tree is first kept as a checkpoint.

/**
 * Paths that moving the work tree from `current` to `target` would overwrite although git pare did not put them
 * there: `current`'s version differs from the version in every tree of `known`. Empty when `current` is one of them.
 */
export async function foreignChanges(ctx: StoreContext, current: string, target: string, known: string[]): Promise<string[]> {
  const trees = [...new Set(known)]
  if (current === target || trees.length === 0 || trees.includes(current)) return []
  const [moved, ...others] = await Promise.all([diffNames(ctx, current, target), ...trees.map((k) => diffNames(ctx, k, current))])
  const differs = others.map((d) => new Set(d.map((c) => c.path)))
  return moved.map((c) => c.path).filter((p) => differs.every((s) => s.has(p)))
}

export interface GuardOptions {
  /** The command a user retries with `--force`, e.g. `git pare undo`. */
  command: string
  /** What the move is, for the message: `undo`, `redo`, `session rollback`. */
  action: string
  current: string
  target: string
  /** Trees git pare left or recorded (after states, what an undo restored); a work tree a kept checkpoint holds is safe too. */
  known: string[]
  /** The commit of the state git pare had left, the kept checkpoint's parent (so showing it prints the user's change). */
  base: string | null
  force?: boolean
  label: string
  meta?: Meta
}

/** The user's files, listed in one line: `a.txt, b/c.ts and 4 more`. */
export function fileList(files: string[], max = 5): string {
  return files.slice(0, max).join(', ') + (files.length > max ? ` and ${files.length - max} more` : '')
}

/**
 * Refuse (RepoStateError `user_changes`, exit 3) a move that would overwrite work git pare did not make, or with
 * `force` keep that work as a checkpoint first and return it. Undefined when there is nothing of the user's to lose.
 */
export async function guardUserChanges(ctx: StoreContext, o: GuardOptions): Promise<Checkpoint | undefined> {
  // Work already kept (an earlier --force, then redo) is safe as a whole; compared by tree, so many kept ones cost nothing.
  if ((await listCheckpoints(ctx)).some((k) => isKept(k) && k.tree === o.current)) return undefined
  const files = await foreignChanges(ctx, o.current, o.target, o.known)
  if (files.length === 0) return undefined
  if (!o.force) {
    const n = await nextSeq(ctx)
    throw new RepoStateError(
      `${o.action} would overwrite changes git pare did not make: ${fileList(files)}`,
      `\`${o.command} --force\` keeps them as checkpoint ${n}, then goes ahead`,
      'user_changes',
    )
  }
  return keepCheckpoint(ctx, o.current, o.base, o.label, {...o.meta, keptFiles: fileList(files, 3)})
}
