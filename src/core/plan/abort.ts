import {RepoStateError, UsageError} from '../errors/index.js'
import type {Store} from '../store/store.js'
import {readUncommitted} from '../store/uncommitted.js'
import {giveBack, keptReport, type UncommittedReport} from './give-back.js'
import {loadPlan, savePlan} from './plan-store.js'
import {commitWorkTree, currentBranch, isDirty, scratchBranch} from './scratch-branch.js'

export interface AbortResult {
  plan: string
  base: string | null
  branch?: string
  invalid?: boolean
  /** Whether abort switched back to the base branch (it does when the plan's branch is checked out). */
  switched: boolean
  /** Changes found on the plan's branch at abort, committed there so they stay with it. */
  leftovers?: string
  uncommitted: UncommittedReport
}

/**
 * `git pare abort`: switch back to the branch the plan started from and give back the uncommitted changes the user
 * had then, byte for byte (work tree, index, untracked files). The plan's branch is left for inspection; changes
 * still uncommitted on it are committed there first, so nothing is thrown away.
 */
export async function abortPlan(store: Store, opts: {plan?: string} = {}): Promise<AbortResult> {
  return store.withLock(async () => {
    store.assertWorkable()
    const active = await store.activePlan()
    const id = opts.plan ?? active
    if (!id) throw new UsageError('there is no active plan', 'create one with `git pare plan "task"`', 'no_plan')
    const loaded = await loadPlan(store, id).catch(async (err: unknown) => {
      // A plan that no longer parses (a broken version pulled from a remote) must not trap the user: stop it
      // without trusting anything it says (no branch switch), and leave its ref as it is for inspection.
      if (!(err instanceof RepoStateError) || err.code !== 'invalid_plan') throw err
      return null
    })
    if (!loaded) {
      if (active === id) await store.setActivePlan(null)
      return {plan: id, base: null, invalid: true, switched: false, uncommitted: {status: 'none'}}
    }
    const {plan, commit} = loaded
    if (plan.status === 'finished' || plan.status === 'aborted') throw new UsageError(`plan ${plan.id} is already ${plan.status}`, 'start a new one with `git pare plan "task"`', 'plan_closed')
    const rec = await readUncommitted(store.ctx, plan.id)
    // A start cut short (killed between making the branch and saving the plan) is known from its record alone.
    const branch = plan.branch ?? (rec ? scratchBranch(plan.id) : undefined)
    const base = plan.base ?? (rec ? {branch: rec.branch, commit: rec.head} : undefined)
    let uncommitted: UncommittedReport = rec ? keptReport(rec) : {status: 'none'}
    let leftovers: string | undefined
    let switched = false
    if (branch && base) {
      const head = await currentBranch(store)
      if (head?.branch === branch) {
        const target = base.branch ? await store.revParse(`refs/heads/${base.branch}`) : base.commit
        if (!target) throw new RepoStateError(`the branch ${base.branch} the plan started from no longer exists`, `recreate it (git branch ${base.branch} ${base.commit.slice(0, 7)}), then run \`git pare abort\` again`, 'base_missing')
        if (await isDirty(store)) {
          leftovers = (await commitWorkTree(store, branch, `pare: uncommitted changes at abort of plan ${plan.id}\n\nPare-Plan: ${plan.id}\n`)) ?? undefined
        }
        await store.ctx.run(base.branch ? ['switch', '-q', base.branch] : ['switch', '-q', '--detach', base.commit])
        switched = true
        uncommitted = await giveBack(store, rec)
      }
    }
    plan.status = 'aborted'
    await savePlan(store, plan, 'abort', commit)
    if (active === plan.id) await store.setActivePlan(null)
    return {plan: plan.id, base: base?.branch ?? null, branch, switched, ...(leftovers ? {leftovers} : {}), uncommitted}
  })
}
