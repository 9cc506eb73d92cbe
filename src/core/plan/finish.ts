import {RepoStateError, UsageError} from '../errors/index.js'
import type {Store} from '../store/store.js'
import {dropUncommitted, readUncommitted, type UncommittedRecord} from '../store/uncommitted.js'
import {giveBack, type UncommittedReport} from './give-back.js'
import {replaySteps, squashTree, type PlanChange} from './land.js'
import {loadPlan, savePlan} from './plan-store.js'
import type {Plan} from './schema.js'
import {currentBranch, isDirty, scratchBranch} from './scratch-branch.js'

export interface FinishResult {
  plan: string
  base: string
  commit: string
  mode: 'squash' | 'merge'
  steps_done: number
  steps_total: number
  uncommitted: UncommittedReport
  /** The plan's branches deleted after it landed (its scratch branch and any `pare/<id>-<n>` step branches). */
  branches_deleted: string[]
}

export interface FinishOptions {
  /** Leave the plan's scratch branch (and step branches) in place. */
  keepBranch?: boolean
  mode?: 'squash' | 'merge'
  rebase?: boolean
  /** Commit the uncommitted changes the plan started with together with the plan, instead of giving them back. */
  includeUncommitted?: boolean
  /** The plan to finish (default: the active one). */
  plan?: string
}

async function baseInfo(store: Store, plan: Plan): Promise<{ref: string; name: string; tip: string}> {
  if (!plan.branch || !plan.base) throw new UsageError(`plan ${plan.id} has not started`, 'run `git pare step` first', 'not_started')
  if (!plan.base.branch) throw new RepoStateError(`plan ${plan.id} started from a detached HEAD (${plan.base.commit.slice(0, 7)})`, `merge ${plan.branch} yourself, e.g. \`git switch -c my-branch ${plan.branch}\``, 'detached_base')
  const ref = `refs/heads/${plan.base.branch}`
  const tip = await store.revParse(ref)
  if (!tip) throw new RepoStateError(`the base branch ${plan.base.branch} no longer exists`, `merge ${plan.branch} yourself`, 'base_missing')
  return {ref, name: plan.base.branch, tip}
}

function message(plan: Plan): string {
  const done = plan.steps.filter((s) => s.status === 'done')
  const body = done.map((s) => `- ${s.description}`).join('\n')
  const tokens = plan.tokens ? `\nPare-Tokens: ${plan.tokens.input} in, ${plan.tokens.output} out` : ''
  return `${plan.task.split('\n')[0]!.slice(0, 72)}\n\n${body}\n\nPare-Plan: ${plan.id}${tokens}\n`
}

/** The commit on the plan's branch that carried the user's uncommitted changes (the first one after the base), if any. */
async function carriedCommit(store: Store, plan: Plan, rec: UncommittedRecord, tip: string): Promise<string | undefined> {
  const first = (await store.ctx.run(['rev-list', '--reverse', '--first-parent', `${plan.base!.commit}..${tip}`])).stdout.split('\n')[0]
  if (!first) return undefined
  const [parent, tree] = await Promise.all([store.revParse(`${first}^`), store.revParse(`${first}^{tree}`)])
  return parent === plan.base!.commit && tree === rec.worktree ? first : undefined
}

/**
 * Delete a landed plan's branches: `pare/<id>` and the `pare/<id>-<n>` step branches, each by compare-and-swap
 * (one checked out in another worktree is left, as git would).
 */
async function deletePlanBranches(store: Store, id: string): Promise<string[]> {
  const listed = await store.ctx.run(['for-each-ref', '--format=%(refname) %(objectname)', `refs/heads/${scratchBranch(id)}`, `refs/heads/${scratchBranch(id)}-*`])
  const deleted: string[] = []
  for (const line of listed.stdout.split('\n').filter(Boolean)) {
    const [ref, oid] = line.split(' ') as [string, string]
    const name = ref.slice('refs/heads/'.length)
    if (name !== scratchBranch(id) && !/-\d+$/.test(name)) continue
    const checkedOut = await store.ctx.run(['worktree', 'list', '--porcelain'], {allowFail: true})
    if (checkedOut.stdout.split('\n').includes(`branch ${ref}`)) continue
    await store.updateRef(ref, null, oid).then(() => deleted.push(name), () => undefined)
  }
  return deleted
}

/**
 * `git pare finish`: bring the plan's change into the base branch and switch back to it. Squash by default (one
 * commit), `merge` keeps the step commits. The user's uncommitted changes from before the plan are left out of the
 * result and come back on top of it, staged and untracked as they were. When the base moved since the plan
 * started, nothing happens unless `rebase` or `merge` is asked for.
 */
export async function finishPlan(store: Store, opts: FinishOptions = {}): Promise<FinishResult> {
  return store.withLock(async () => {
    store.assertWorkable()
    const {plan, commit: planCommit} = await loadPlan(store, opts.plan)
    if (plan.status === 'finished' || plan.status === 'aborted') throw new UsageError(`plan ${plan.id} is already ${plan.status}`, 'start a new one with `git pare plan "task"`', 'plan_closed')
    // Steps `git pare work` ran on other clones are applied onto pare/<id> first (made here when this clone never ran the plan).
    await (await import('../work/integrate-worked.js')).integrateWorkedSteps(store, plan)
    const base = await baseInfo(store, plan)
    const head = await currentBranch(store)
    if (head?.branch !== plan.branch) throw new RepoStateError(`finish runs from the plan's branch ${plan.branch}, but ${head?.branch ?? 'a detached HEAD'} is checked out`, `git switch ${plan.branch}`, 'wrong_branch')
    if (await isDirty(store)) throw new RepoStateError('the work tree has uncommitted changes', 'run `git pare step` to finish the step, `git pare undo` to drop it, or commit them', 'dirty')
    const mode = opts.mode ?? 'squash'
    const moved = base.tip !== plan.base!.commit
    if (moved && !opts.rebase && mode !== 'merge') {
      throw new RepoStateError(
        `${base.name} has moved since the plan started (${plan.base!.commit.slice(0, 7)} -> ${base.tip.slice(0, 7)})`,
        'run `git pare finish --rebase` to replay the plan on top of it and squash, or `git pare finish --merge` for a merge commit',
        'base_moved',
      )
    }
    const tip = (await store.revParse(`refs/heads/${plan.branch}`))!
    const rec = await readUncommitted(store.ctx, plan.id)
    const carried = rec && !opts.includeUncommitted ? await carriedCommit(store, plan, rec, tip) : undefined
    const change: PlanChange = {from: carried ?? plan.base!.commit, tip, base: plan.base!.commit}
    const clash = carried
      ? {
          what: "the plan's changes build on your uncommitted changes from before it and cannot be taken without them",
          hint: '`git pare finish --include-uncommitted` commits them together with the plan; `git pare abort` gives them back as they were',
        }
      : {what: `${plan.branch} does not merge cleanly into ${base.name}`, hint: `resolve it yourself: git switch ${base.name} && git merge ${plan.branch}`}
    // The result is computed from objects alone; the base branch moves (compare-and-swap) only once it exists.
    let result: string
    if (mode === 'squash') {
      result = await store.writeCommit(await squashTree(store, change, base.tip, clash), [base.tip], message(plan))
    } else {
      const steps = await replaySteps(store, change, clash)
      const tree = moved ? await squashTree(store, {from: plan.base!.commit, tip: steps, base: plan.base!.commit}, base.tip, clash) : (await store.revParse(`${steps}^{tree}`))!
      result = await store.writeCommit(tree, [base.tip, steps], message(plan))
    }
    await store.updateRef(base.ref, result, base.tip)
    await store.ctx.run(['switch', '-q', base.name])
    let uncommitted: UncommittedReport
    if (rec && opts.includeUncommitted) {
      await dropUncommitted(store.ctx, rec)
      uncommitted = {status: 'included', ...rec.counts}
    } else uncommitted = await giveBack(store, rec)
    plan.status = 'finished'
    await savePlan(store, plan, `finish into ${base.name} (${mode})`, planCommit)
    if ((await store.activePlan()) === plan.id) await store.setActivePlan(null)
    const branches_deleted = opts.keepBranch ? [] : await deletePlanBranches(store, plan.id)
    return {plan: plan.id, base: base.name, commit: result, mode, steps_done: plan.steps.filter((s) => s.status === 'done').length, steps_total: plan.steps.length, uncommitted, branches_deleted}
  })
}
