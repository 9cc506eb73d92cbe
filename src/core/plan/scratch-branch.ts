import {RepoStateError} from '../errors/index.js'
import type {Store} from '../store/store.js'

/** The branch a plan's steps are committed on. */
export const scratchBranch = (planId: string) => `pare/${planId}`

/** The checked-out branch (short name) or null when HEAD is detached; undefined when HEAD is unborn. */
export async function currentBranch(store: Store): Promise<{branch: string | null; commit: string} | undefined> {
  const commit = await store.revParse('HEAD^{commit}')
  if (!commit) return undefined
  const sym = await store.ctx.run(['symbolic-ref', '-q', '--short', 'HEAD'], {allowFail: true})
  return {branch: sym.code === 0 ? sym.stdout.trim() : null, commit}
}

/**
 * Create `pare/<id>` at HEAD and check it out. Same commit, so uncommitted changes stay in the work
 * tree untouched (they were checkpointed by the caller first).
 */
export async function startScratchBranch(store: Store, planId: string): Promise<{base: {branch: string | null; commit: string}; branch: string}> {
  const head = await currentBranch(store)
  if (!head) throw new RepoStateError('this repository has no commit yet', 'make a first commit, then run `git pare step`', 'unborn_head')
  if (!head.branch) throw new RepoStateError(`HEAD is detached at ${head.commit.slice(0, 7)}: a plan starts from a branch and is merged back into it`, 'switch to a branch first (`git switch -c my-branch` keeps this commit), then run `git pare step`', 'detached_head')
  const branch = scratchBranch(planId)
  const exists = await store.revParse(`refs/heads/${branch}`)
  if (exists) throw new RepoStateError(`branch ${branch} already exists`, `delete it (git branch -D ${branch}) or switch to it`, 'branch_exists')
  await store.ctx.run(['switch', '-q', '-c', branch])
  return {base: head, branch}
}

/** Make sure the plan's branch is checked out; switch to it when the work tree is clean. */
export async function ensureOnBranch(store: Store, branch: string): Promise<void> {
  const head = await currentBranch(store)
  if (head?.branch === branch) return
  if (!(await store.revParse(`refs/heads/${branch}`))) throw new RepoStateError(`the plan's branch ${branch} no longer exists`, 'start a new plan with `git pare plan "task"`', 'branch_missing')
  if (await isDirty(store)) throw new RepoStateError(`the plan runs on ${branch}, but ${head?.branch ?? 'a detached HEAD'} is checked out with uncommitted changes`, `commit or stash them, then \`git switch ${branch}\``, 'wrong_branch')
  await store.ctx.run(['switch', '-q', branch])
}

/**
 * Commit the whole work tree (tracked + untracked, not ignored) on the checked-out scratch branch, then
 * bring the user's index in line with the new HEAD. The branch moves by compare-and-swap.
 */
export async function commitWorkTree(store: Store, branch: string, message: string): Promise<string | null> {
  const head = await store.revParse(`refs/heads/${branch}`)
  if (!head) throw new RepoStateError(`branch ${branch} is missing`)
  const tree = await store.worktreeTree()
  const headTree = await store.revParse(`${head}^{tree}`)
  if (tree === headTree) return null
  const commit = await store.writeCommit(tree, [head], message)
  await store.updateRef(`refs/heads/${branch}`, commit, head)
  await store.ctx.run(['reset', '-q'])
  return commit
}

/** Whether the work tree differs from HEAD (tracked or untracked, not ignored). */
export async function isDirty(store: Store): Promise<boolean> {
  // --no-optional-locks: a status that refreshes would rewrite the user's index.
  const res = await store.ctx.run(['--no-optional-locks', 'status', '--porcelain', '--untracked-files=normal'])
  return res.stdout.trim() !== ''
}
