import {RepoStateError, UsageError} from '../errors/index.js'
import type {Store} from '../store/store.js'
import {loadPlan, savePlan} from './plan-store.js'
import type {Plan} from './schema.js'
import {currentBranch, isDirty} from './scratch-branch.js'

export interface FinishResult {
  plan: string
  base: string
  commit: string
  mode: 'squash' | 'merge'
  steps_done: number
  steps_total: number
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

/**
 * `git pare finish`: bring the scratch branch into the base branch and switch back to it. Squash by
 * default (one commit with the combined change), `merge` keeps the step commits. When the base moved
 * since the plan started, nothing happens unless `rebase` or `merge` is asked for.
 */
export async function finishPlan(store: Store, opts: {mode?: 'squash' | 'merge'; rebase?: boolean} = {}): Promise<FinishResult> {
  return store.withLock(async () => {
    store.assertWorkable()
    const {plan, commit: planCommit} = await loadPlan(store)
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
    const scratchTip = (await store.revParse(`refs/heads/${plan.branch}`))!
    let result: string
    if (mode === 'squash' && !moved) {
      // Base unchanged: the combined change is exactly the scratch tip's tree on top of the base.
      const tree = (await store.revParse(`${scratchTip}^{tree}`))!
      result = await store.writeCommit(tree, [base.tip], message(plan))
      await store.updateRef(base.ref, result, base.tip)
      await store.ctx.run(['switch', '-q', base.name])
    } else {
      await store.ctx.run(['switch', '-q', base.name])
      const args = mode === 'merge' ? ['merge', '--no-ff', '--no-edit', '-m', message(plan), plan.branch!] : ['merge', '--squash', plan.branch!]
      const res = await store.ctx.run(args, {allowFail: true, env: await store.ctx.commitEnv()})
      if (res.code !== 0) {
        await store.ctx.run(['merge', '--abort'], {allowFail: true})
        await store.ctx.run(['reset', '-q', '--merge'], {allowFail: true})
        await store.ctx.run(['switch', '-q', plan.branch!], {allowFail: true})
        throw new RepoStateError(`${plan.branch} does not merge cleanly into ${base.name}; nothing was changed`, `resolve it yourself: git switch ${base.name} && git merge ${plan.branch}`, 'merge_conflict')
      }
      if (mode === 'squash') await store.ctx.run(['commit', '-q', '--no-verify', '-F', '-'], {input: message(plan), env: await store.ctx.commitEnv()})
      result = (await store.revParse('HEAD'))!
    }
    plan.status = 'finished'
    await savePlan(store, plan, `finish into ${base.name} (${mode})`, planCommit)
    await store.setActivePlan(null)
    return {plan: plan.id, base: base.name, commit: result, mode, steps_done: plan.steps.filter((s) => s.status === 'done').length, steps_total: plan.steps.length}
  })
}

/** `git pare abort`: switch back to the base branch, leave the scratch branch for inspection. */
export async function abortPlan(store: Store): Promise<{plan: string; base: string | null; branch?: string; invalid?: boolean}> {
  return store.withLock(async () => {
    store.assertWorkable()
    const loaded = await loadPlan(store).catch(async (err: unknown) => {
      // A plan that no longer parses (a broken version pulled from a remote) must not trap the user: stop it
      // without trusting anything it says (no branch switch), and leave its ref as it is for inspection.
      if (!(err instanceof RepoStateError) || err.code !== 'invalid_plan') throw err
      return null
    })
    if (!loaded) {
      const id = (await store.activePlan())!
      await store.setActivePlan(null)
      return {plan: id, base: null, invalid: true}
    }
    const {plan, commit} = loaded
    if (plan.branch && plan.base) {
      const head = await currentBranch(store)
      if (head?.branch === plan.branch) {
        if (await isDirty(store)) throw new RepoStateError('the work tree has uncommitted changes', 'run `git pare undo` to drop them or commit them first', 'dirty')
        await store.ctx.run(['switch', '-q', plan.base.branch ?? '--detach', ...(plan.base.branch ? [] : [plan.base.commit])])
      }
    }
    plan.status = 'aborted'
    await savePlan(store, plan, 'abort', commit)
    await store.setActivePlan(null)
    return {plan: plan.id, base: plan.base?.branch ?? null, branch: plan.branch}
  })
}
