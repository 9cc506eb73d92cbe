import {existsSync} from 'node:fs'
import path from 'node:path'
import {RepoStateError} from '../errors/index.js'
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
