import {existsSync} from 'node:fs'
import path from 'node:path'
import {RepoStateError} from '../errors/index.js'
import {git} from './git.js'
import type {RepoPaths} from './repo.js'

const STATES: {file: string; what: string; hint: string}[] = [
  {file: 'rebase-merge', what: 'a rebase', hint: 'finish it with `git rebase --continue` or abort it with `git rebase --abort`'},
  {file: 'rebase-apply/applying', what: 'a `git am`', hint: 'finish it with `git am --continue` or abort it with `git am --abort`'},
  {file: 'rebase-apply', what: 'a rebase', hint: 'finish it with `git rebase --continue` or abort it with `git rebase --abort`'},
  {file: 'MERGE_HEAD', what: 'a merge', hint: 'finish it with `git commit` or abort it with `git merge --abort`'},
  {file: 'CHERRY_PICK_HEAD', what: 'a cherry-pick', hint: 'finish it with `git cherry-pick --continue` or abort it with `git cherry-pick --abort`'},
  {file: 'REVERT_HEAD', what: 'a revert', hint: 'finish it with `git revert --continue` or abort it with `git revert --abort`'},
  {file: 'BISECT_LOG', what: 'a bisect', hint: 'end it with `git bisect reset`'},
]

/** Which operation is in progress in this work tree, if any. */
export function operationInProgress(paths: RepoPaths): {what: string; hint: string} | null {
  for (const s of STATES) if (existsSync(path.join(paths.gitDir, s.file))) return {what: s.what, hint: s.hint}
  return null
}

/** Refuse to touch the work tree while git itself is in the middle of something. */
export function assertWorkable(paths: RepoPaths): void {
  const op = operationInProgress(paths)
  if (op) throw new RepoStateError(`${op.what} is in progress in this repository; git pare will not touch the work tree now`, op.hint, 'operation_in_progress')
}

/**
 * A plan starts from a branch with at least one commit and is merged back into it; the index must have no
 * unresolved conflicts (its state is recorded when the plan starts). Checked by `plan` and `step` before any
 * model call. `detachedHint` replaces the hint for a detached HEAD (a started plan names its own branch).
 */
export async function assertBranchHead(paths: RepoPaths, opts: {detachedHint?: string} = {}): Promise<void> {
  const run = (args: string[]) => git(args, {cwd: paths.root, allowFail: true, env: {GIT_OPTIONAL_LOCKS: '0'}})
  const [head, sym, unmerged] = await Promise.all([run(['rev-parse', '-q', '--verify', 'HEAD^{commit}']), run(['symbolic-ref', '-q', '--short', 'HEAD']), run(['ls-files', '-u', '-z'])])
  if (head.code !== 0) {
    const any = await run(['for-each-ref', '--count=1', '--format=%(refname)', 'refs/heads'])
    if (!any.stdout.trim()) throw new RepoStateError('this repository has no commits yet', 'make a first commit (`git add -A && git commit -m "initial"`), then run the command again', 'empty_repo')
    const name = sym.stdout.trim() || 'HEAD'
    throw new RepoStateError(`the branch ${name} has no commits yet`, 'commit on it first, or switch to a branch that has commits (`git switch <branch>`)', 'unborn_branch')
  }
  if (sym.code !== 0) {
    throw new RepoStateError(
      `HEAD is detached at ${head.stdout.trim().slice(0, 7)}: a plan starts from a branch and is merged back into it`,
      opts.detachedHint ?? 'switch to a branch first (`git switch -c my-branch` keeps this commit), then run the command again',
      'detached_head',
    )
  }
  const conflicted = [...new Set(unmerged.stdout.split('\0').filter(Boolean).map((l) => l.slice(l.indexOf('\t') + 1)))]
  if (conflicted.length) throw new RepoStateError(`the index has unresolved conflicts (${conflicted.slice(0, 3).join(', ')}${conflicted.length > 3 ? ', …' : ''})`, 'resolve them (`git add` the files) or reset them, then run the command again', 'unmerged')
}
