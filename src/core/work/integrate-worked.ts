import {RepoStateError} from '../errors/index.js'
import {mergeStepBranches} from '../plan/integrate.js'
import type {Plan} from '../plan/schema.js'
import {scratchBranch} from '../plan/scratch-branch.js'
import type {Store} from '../store/store.js'
import {doneInOrder, ensureCommits} from './step-base.js'

export interface WorkedIntegration {
  /** Steps applied onto pare/<id> now, in the order applied. */
  integrated: number[]
  branch?: string
}

// Steps already on the plan's branch, by the Pare-Step trailer of its commits since the base (integration copies a
// step's message, trailers included, so a step applied once is found again and never applied twice).
async function stepsOnBranch(store: Store, plan: Plan, tip: string): Promise<Set<number>> {
  const res = await store.ctx.run(['log', '--format=%(trailers:key=Pare-Plan,valueonly,separator=%x2c) %(trailers:key=Pare-Step,valueonly,separator=%x2c)', `${plan.base!.commit}..${tip}`], {allowFail: true})
  const out = new Set<number>()
  for (const line of res.stdout.split('\n')) {
    const [p, n] = line.trim().split(' ')
    if (p === plan.id && n && /^\d+$/.test(n)) out.add(Number(n))
  }
  return out
}

/**
 * Before `git pare finish`: apply the steps `git pare work` ran on other clones (done, with a commit, not yet on
 * pare/<id>) onto that branch, made here from the plan's base when this clone never ran the plan. A clean work tree
 * on the branch the plan started from (or on pare/<id>) follows the branch, so finish can go on from it. The plan's
 * `branch` is set when it was missing (finish saves the plan). Nothing happens for a plan no worker ran.
 */
export async function integrateWorkedSteps(store: Store, plan: Plan): Promise<WorkedIntegration> {
  if (!plan.base || !plan.steps.some((s) => s.ran && s.status === 'done')) return {integrated: []}
  const branch = scratchBranch(plan.id)
  const ref = `refs/heads/${branch}`
  const old = await store.revParse(ref)
  const start = old ?? plan.base.commit
  const have = old ? await stepsOnBranch(store, plan, old) : new Set<number>()
  const todo = doneInOrder(plan).filter((n) => !have.has(n) && plan.steps[n - 1]!.commit)
  if (!plan.branch) plan.branch = branch
  if (!todo.length) return {integrated: [], branch}
  const commits = todo.map((n) => plan.steps[n - 1]!.commit!)
  try {
    await ensureCommits(store, undefined, [plan.base.commit, ...commits])
  } catch {
    throw new RepoStateError(`the branches of plan ${plan.id}'s done steps are not in this clone`, 'fetch them with `git pare pull`, then run `git pare finish` again', 'missing_commit')
  }
  const merged = await mergeStepBranches(store, start, commits)
  if ('conflict' in merged) {
    const n = todo[commits.indexOf(merged.at)] ?? '?'
    throw new RepoStateError(`step ${n} of plan ${plan.id} does not apply on top of the other done steps (conflict in ${merged.conflict.join(', ')})`, `merge its branch yourself: git merge ${merged.at.slice(0, 12)}`, 'step_conflict')
  }
  const head = (await store.ctx.run(['symbolic-ref', '-q', '--short', 'HEAD'], {allowFail: true})).stdout.trim()
  const dirty = (await store.ctx.run(['status', '--porcelain', '--untracked-files=no'])).stdout.trim() !== ''
  if (head === branch) {
    // The branch is checked out here: its work tree follows (refused by git when local changes are in the way).
    if (dirty) throw new RepoStateError('the work tree has uncommitted changes', 'commit or stash them, then run `git pare finish` again', 'dirty')
    await store.ctx.run(['read-tree', '-m', '-u', start, merged.commit])
  }
  await store.updateRef(ref, merged.commit, old)
  if (head && head === plan.base.branch && !dirty) await store.ctx.run(['switch', '-q', branch])
  return {integrated: todo, branch}
}
