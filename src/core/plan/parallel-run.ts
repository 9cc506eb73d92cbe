import {InterruptedError, RepoStateError} from '../errors/index.js'
import type {Store} from '../store/store.js'
import {runOrder, stepDeps} from './deps.js'
import {mergeStepBranches} from './integrate.js'
import {runIsolatedStep, stepBranch, type IsolatedStepResult} from './isolated-step.js'
import {savePlan} from './plan-store.js'
import type {Plan} from './schema.js'
import type {StepApprovalState} from './step-approval.js'
import type {StepOutcome, StepRunOptions} from './step-runner.js'

type Settled = {i: number; res?: IsolatedStepResult; err?: unknown}

/**
 * `git pare step --all --jobs N` once the plan's branch is checked out: up to N ready steps at once, each in its
 * own worktree from the branch as integrated so far. Finished steps are integrated into the plan's branch in run
 * order (plan order unless `after` says otherwise), whatever order they finish in. A failed check or a conflict stops
 * only that step and the steps waiting for it; the rest go on. plan.yaml is saved after each step settles.
 */
export async function runParallel(opts: StepRunOptions & {jobs: number}, plan: Plan, commit: string, approval: StepApprovalState[]): Promise<{outcomes: StepOutcome[]; commit: string}> {
  const {store} = opts
  const ref = `refs/heads/${plan.branch!}`
  const deps = stepDeps(plan).map((d) => d.map((n) => n - 1))
  const order = runOrder(plan)
  const runnable = new Set(order.filter((i) => approval[i]!.state === 'approved'))
  const outcomes: StepOutcome[] = []
  const running = new Map<number, Promise<Settled>>()
  const finished = new Map<number, IsolatedStepResult>()
  const settled = new Set<number>()
  const stopped = new Set<number>()
  let head = await store.revParse(ref)
  if (!head) throw new RepoStateError(`the plan's branch ${plan.branch} no longer exists`, 'start a new plan with `git pare plan "task"`', 'branch_missing')
  let error: unknown
  const save = async (message: string) => {
    plan.status = plan.steps.every((s) => s.status === 'done') ? 'done' : plan.steps.some((s) => s.status === 'failed') ? 'paused' : 'running'
    commit = await savePlan(store, plan, message, commit)
  }
  opts.onEvent?.({type: 'queued', jobs: opts.jobs, steps: order.filter((i) => runnable.has(i)).map((i) => ({n: i + 1, description: plan.steps[i]!.description}))})

  for (;;) {
    // A step waiting for one that did not pass (or will not run here) is not run; those waiting for it neither.
    for (const i of order) {
      if (settled.has(i) || running.has(i) || finished.has(i)) continue
      const why = runnable.has(i) ? deps[i]!.find((j) => stopped.has(j) || (!runnable.has(j) && plan.steps[j]!.status !== 'done')) : -1
      if (why === undefined) continue
      settled.add(i)
      stopped.add(i)
      if (runnable.has(i)) opts.onEvent?.({type: 'skipped', n: i + 1, reason: `waits for step ${why + 1}, which ${runnable.has(why) ? 'has not passed' : 'is not approved here'}`})
    }
    if (!error && !opts.signal?.aborted) {
      for (const i of order) {
        if (running.size >= opts.jobs) break
        if (!runnable.has(i) || settled.has(i) || running.has(i) || finished.has(i)) continue
        if (!deps[i]!.every((j) => plan.steps[j]!.status === 'done')) continue
        const base = head
        running.set(i, runIsolatedStep({store, runtime: opts.runtime, project: opts.project, plan, n: i + 1, base, approvals: opts.approvals, signal: opts.signal, onEvent: opts.onEvent, onRecord: opts.onRecord}).then(
          (res) => ({i, res}),
          (err: unknown) => ({i, err}),
        ))
      }
    }
    if (!running.size) break
    const done = await Promise.race(running.values())
    running.delete(done.i)
    if (!done.res) {
      // A model or repository error: no new step starts; those running finish and are integrated, then it is raised.
      error ??= done.err
      settled.add(done.i)
      stopped.add(done.i)
      continue
    }
    finished.set(done.i, done.res)
    // Integrate in run order: a step finished early waits for the ones before it.
    for (const i of order) {
      if (settled.has(i)) continue
      const res = finished.get(i)
      if (!res) break
      finished.delete(i)
      settled.add(i)
      head = await settle(opts, plan, i, res, head, outcomes, stopped)
      await save(`step ${i + 1}: ${plan.steps[i]!.status === 'done' ? 'done' : 'failed'}`)
    }
  }
  if (error) throw error
  if (opts.signal?.aborted) throw new InterruptedError('interrupted; steps that had not passed were not committed (resume with `git pare step --all`)')
  return {outcomes, commit}
}

/** Record one finished step in the plan and, when it passed, integrate its commit; returns where the branch is now. */
async function settle(opts: StepRunOptions, plan: Plan, i: number, res: IsolatedStepResult, head: string, outcomes: StepOutcome[], stopped: Set<number>): Promise<string> {
  const {store} = opts
  const step = plan.steps[i]!
  const n = i + 1
  const out = res.outcome
  outcomes.push(out)
  step.tokens = {input: (step.tokens?.input ?? 0) + out.tokens.input, output: (step.tokens?.output ?? 0) + out.tokens.output}
  plan.tokens = {input: (plan.tokens?.input ?? 0) + out.tokens.input, output: (plan.tokens?.output ?? 0) + out.tokens.output}
  step.attempts = (step.attempts ?? 0) + out.attempts
  const fail = (why: string) => {
    out.ok = false
    out.status = 'failed'
    step.status = 'failed'
    step.last_error = why
    stopped.add(i)
  }
  if (!out.ok) {
    fail(out.verify)
    return head
  }
  let next = head
  if (res.commit) {
    const merged = await mergeStepBranches(store, head, [res.commit])
    if ('conflict' in merged) {
      out.conflict = merged.conflict
      delete out.commit
      fail(`conflict with the steps integrated before it in ${merged.conflict.join(', ')}; \`git pare step ${n}\` runs it again on top of them`)
      opts.onEvent?.({type: 'integrated', n, ok: false, conflict: merged.conflict})
      await dropBranch(store, res.branch, res.commit)
      return head
    }
    const moved = await advance(store, `refs/heads/${plan.branch!}`, head, merged.commit, {plan: plan.id, n, label: `before step ${n}: ${step.description}`})
    if (moved !== true) {
      delete out.commit
      fail(moved)
      opts.onEvent?.({type: 'integrated', n, ok: false})
      await dropBranch(store, res.branch, res.commit)
      return head
    }
    next = merged.commit
    out.commit = merged.commit
    await dropBranch(store, res.branch, res.commit)
  }
  step.status = 'done'
  step.commit = out.commit
  step.summary = out.summary
  delete step.last_error
  opts.onEvent?.({type: 'integrated', n, ok: true, ...(out.commit ? {commit: out.commit} : {})})
  return next
}

async function dropBranch(store: Store, branch: string, at: string): Promise<void> {
  await store.updateRef(`refs/heads/${branch}`, null, at).catch(() => undefined)
}

/**
 * Move the plan's branch from `from` to `to` (compare-and-swap). When it is checked out here the index and work
 * tree follow by a two-tree merge, which refuses (and changes nothing) when the user's own edits are in the way.
 * A checkpoint is taken first, so `git pare undo` takes the step back as it does after a sequential one.
 * True, or why it did not move.
 */
async function advance(store: Store, ref: string, from: string, to: string, what: {plan: string; n: number; label: string}): Promise<true | string> {
  const ctx = store.ctx
  const [sym, cp, tree] = await Promise.all([
    ctx.run(['symbolic-ref', '-q', 'HEAD'], {allowFail: true}),
    store.checkpoint(what.label, {plan: what.plan, step: what.n, branch: ref}),
    store.revParse(`${to}^{tree}`),
  ])
  const checkedOut = sym.stdout.trim() === ref
  if (checkedOut) {
    await ctx.run(['update-index', '-q', '--refresh'], {allowFail: true})
    const merged = await ctx.run(['read-tree', '-m', '-u', from, to], {allowFail: true})
    if (merged.code !== 0) {
      await store.discardCheckpoint(cp).catch(() => undefined)
      const files = [...merged.stderr.matchAll(/'([^']+)'/g)].map((m) => m[1]!)
      return `your changes in the checkout${files.length ? ` (${[...new Set(files)].slice(0, 3).join(', ')})` : ''} are in the way of its result; commit or move them, then \`git pare step ${what.n}\``
    }
  }
  try {
    await store.updateRef(ref, to, from)
  } catch (err) {
    if (checkedOut) await ctx.run(['read-tree', '-m', '-u', to, from], {allowFail: true})
    await store.discardCheckpoint(cp).catch(() => undefined)
    throw new RepoStateError(`${ref.replace('refs/heads/', '')} moved while the steps ran`, 'see `git log` on it, then run `git pare step` again', 'branch_moved')
  }
  // Checked out here, the work tree is now `to`'s tree: no need to hash it again.
  await store.recordAfter(cp, {outcome: 'done', ...(checkedOut && tree ? {tree} : {})}).catch(() => undefined)
  return true
}

export {stepBranch}
