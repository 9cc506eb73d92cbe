import type {AgentEvent} from '../agent/loop.js'
import type {Project} from '../agent/project.js'
import type {Runtime} from '../agent/runtime.js'
import {InterruptedError, RepoStateError, UsageError} from '../errors/index.js'
import type {Checkpoint} from '../store/checkpoints.js'
import type {Store} from '../store/store.js'
import type {TelemetryRecord} from '../telemetry/record.js'
import {dropUncommitted, recordUncommitted} from '../store/uncommitted.js'
import {runOrder} from './deps.js'
import {runParallel} from './parallel-run.js'
import {loadPlan, savePlan, stepIndex} from './plan-store.js'
import type {Plan, PlanStep} from './schema.js'
import {commitWorkTree, ensureOnBranch, isDirty, startScratchBranch} from './scratch-branch.js'
import type {ApprovalStore} from '../trust/approvals.js'
import {attemptStep, type StepPlace} from './step-attempts.js'
import type {CostMeter} from '../model/cost.js'
import {assertRunnable, readStepApprovals} from './step-approval.js'
import type {VerifyResult} from './verify.js'

export type StepEvent =
  | {type: 'step_start'; n: number; description: string; route: string; model: string; attempt: number}
  | {type: 'agent'; n: number; event: AgentEvent}
  | {type: 'verify'; n: number; result: VerifyResult}
  | {type: 'step_end'; n: number; ok: boolean; commit?: string}
  | {type: 'note'; message: string}
  // --jobs N: the steps this run may start, one that will not run, one integrated (or not) into the plan's branch.
  | {type: 'queued'; jobs: number; steps: {n: number; description: string}[]}
  | {type: 'skipped'; n: number; reason: string}
  | {type: 'integrated'; n: number; ok: boolean; commit?: string; conflict?: string[]}

export interface StepOutcome {
  n: number
  description: string
  ok: boolean
  status: PlanStep['status']
  commit?: string
  attempts: number
  verify: string
  tokens: {input: number; output: number}
  /** Tokens of each attempt's first request (the fresh context). */
  first_request_tokens: number[]
  summary: string[]
  answer: string
  /** --jobs N: files where the step's result conflicted with the steps integrated before it. */
  conflict?: string[]
  /** USD of the step's requests at the profile's prices; null when a model had no known price. */
  cost_usd?: number | null
  /** Set when --max-cost stopped the step before a request (the plan is paused; exit 6). */
  stopped?: 'cost'
}

export interface StepRunResult {
  plan: string
  plan_status: Plan['status']
  branch: string
  steps: StepOutcome[]
}

export interface StepRunOptions {
  store: Store
  runtime: Runtime
  project: Project
  signal?: AbortSignal
  /** The plan to run (default: the active one); it becomes the active plan. */
  plan?: string
  /** 1-based step to run; default the first one not done. */
  n?: number
  all?: boolean
  /** With `all`: how many steps may run at once, each in its own worktree (default 1: one by one, here). */
  jobs?: number
  onEvent?: (e: StepEvent) => void
  /** Telemetry record per attempt. */
  onRecord?: (r: TelemetryRecord) => void
  /** Prices every step of this command and holds its --max-cost limit (one meter for `step --all`). */
  meter?: CostMeter
  /** The user's approvals: a step runs only when its current content is approved here. */
  approvals: ApprovalStore
}

/** Another plan is in progress on its own branch: say so before anything moves. */
async function assertNotInProgress(store: Store, id: string): Promise<void> {
  const other = await loadPlan(store, id).catch(() => undefined)
  if (other?.plan.branch && ['running', 'paused', 'done'].includes(other.plan.status)) {
    throw new RepoStateError(`plan ${id} is in progress on ${other.plan.branch}`, 'finish it with `git pare finish` or stop it with `git pare abort` first', 'plan_in_progress')
  }
}

/** Steps to run now, in order. */
function pick(plan: Plan, n?: number, all?: boolean): number[] {
  if (n !== undefined) {
    const i = stepIndex(plan, n)
    if (plan.steps[i]!.status === 'done') throw new UsageError(`step ${n} is already done`, 'run `git pare undo` to take it back, or `git pare step` for the next one')
    return [i]
  }
  // Plan order, unless a step's `after` names a later one.
  const open = runOrder(plan)
  if (!open.length) throw new UsageError(`every step of plan ${plan.id} is done`, 'merge the result with `git pare finish`', 'plan_done')
  return all ? open : [open[0]!]
}

/**
 * `git pare step`: run plan steps on the scratch branch, each in a fresh context (instruction, file
 * excerpts, carry-forward lines; nothing of earlier conversations), verified deterministically and
 * committed. A failing check gets one retry with its output; then the step is failed and the plan paused.
 */
export async function runSteps(opts: StepRunOptions): Promise<StepRunResult> {
  const {store} = opts
  return store.withLock(async () => {
    store.assertWorkable()
    const active = await store.activePlan()
    let {plan, commit} = await loadPlan(store, opts.plan)
    if (plan.status === 'finished' || plan.status === 'aborted') throw new UsageError(`plan ${plan.id} is ${plan.status}`, 'start a new one with `git pare plan "task"`')
    if (active && active !== plan.id) await assertNotInProgress(store, active)
    const indices = pick(plan, opts.n, opts.all)
    // Authority is the user's own approval of this exact content, never plan.yaml's `approved` flag (it travels
    // with push and pull). Checked before anything moves: a refused step leaves no branch, checkpoint or commit.
    const approval = await readStepApprovals(opts.approvals, store.paths.commonDir, plan)
    for (const message of assertRunnable(plan, approval, indices, opts.n !== undefined)) opts.onEvent?.({type: 'note', message})
    if (active !== plan.id) await store.setActivePlan(plan.id)
    const outcomes: StepOutcome[] = []
    if (!plan.branch) {
      // The user's uncommitted state (work tree, index, untracked files) is recorded before anything moves, so
      // abort and finish can give it back exactly; it is then carried onto the scratch branch as its own commit.
      await store.snapshot({message: `before plan ${plan.id}`})
      const saved = await recordUncommitted(store.ctx, plan.id)
      let started: Awaited<ReturnType<typeof startScratchBranch>>
      try {
        started = await startScratchBranch(store, plan.id)
      } catch (err) {
        if (saved) await dropUncommitted(store.ctx, saved)
        throw err
      }
      plan.base = started.base
      plan.branch = started.branch
      plan.status = 'running'
      const wip = await commitWorkTree(store, started.branch, `pare: uncommitted changes before plan ${plan.id}\n\nPare-Plan: ${plan.id}\n`)
      if (saved) {
        const where = wip ? `carried onto ${started.branch} as ${wip.slice(0, 7)}` : `kept at ${saved.ref}`
        opts.onEvent?.({type: 'note', message: `your uncommitted changes are recorded (${saved.ref}) and ${where}; \`git pare finish\` or \`git pare abort\` gives them back as they are now`})
      }
      commit = await savePlan(store, plan, `start on ${started.branch}`, commit)
    } else {
      await ensureOnBranch(store, plan.branch)
      if (await isDirty(store)) {
        const wip = await commitWorkTree(store, plan.branch, `pare: changes made between steps\n\nPare-Plan: ${plan.id}\n`)
        if (wip) opts.onEvent?.({type: 'note', message: `changes made since the last step were committed on ${plan.branch} (${wip.slice(0, 7)})`})
      }
    }
    if (opts.all && (opts.jobs ?? 1) > 1) {
      const par = await runParallel({...opts, jobs: opts.jobs!}, plan, commit, approval)
      return {plan: plan.id, plan_status: plan.status, branch: plan.branch!, steps: par.outcomes}
    }
    for (const i of indices) {
      const step = plan.steps[i]!
      if (approval[i]!.state !== 'approved') break
      const out = await runOneStep(opts, plan, i)
      outcomes.push(out)
      step.tokens = {input: (step.tokens?.input ?? 0) + out.tokens.input, output: (step.tokens?.output ?? 0) + out.tokens.output}
      plan.tokens = {input: (plan.tokens?.input ?? 0) + out.tokens.input, output: (plan.tokens?.output ?? 0) + out.tokens.output}
      step.attempts = (step.attempts ?? 0) + out.attempts
      if (out.ok) {
        step.status = 'done'
        step.commit = out.commit
        step.summary = out.summary
        delete step.last_error
        plan.status = plan.steps.every((s) => s.status === 'done') ? 'done' : 'running'
      } else {
        step.status = 'failed'
        step.last_error = out.verify
        plan.status = 'paused'
      }
      commit = await savePlan(store, plan, `step ${i + 1}: ${out.ok ? 'done' : 'failed'}`, commit)
      if (opts.signal?.aborted) throw new InterruptedError('interrupted; the step was not committed (resume with `git pare step`)')
      if (!out.ok) break
    }
    return {plan: plan.id, plan_status: plan.status, branch: plan.branch!, steps: outcomes}
  })
}

async function runOneStep(opts: StepRunOptions, plan: Plan, i: number): Promise<StepOutcome> {
  const {store, project} = opts
  const step = plan.steps[i]!
  const n = i + 1
  const checkpoint = await store.checkpoint(`before step ${n}: ${step.description}`, {plan: plan.id, step: n, branch: `refs/heads/${plan.branch}`})
  const place: StepPlace = {
    root: store.paths.root,
    baseTree: checkpoint.tree,
    baseCommit: checkpoint.commit,
    project,
    ctx: store.ctx,
    tree: () => store.worktreeTree(),
    commit: (message) => commitWorkTree(store, plan.branch!, message),
    settle: (outcome) => recordLeft(store, checkpoint, outcome),
  }
  return attemptStep({runtime: opts.runtime, plan, i, place, signal: opts.signal, onEvent: opts.onEvent, onRecord: opts.onRecord, meter: opts.meter})
}

/**
 * The state the step left the work tree in, so `git pare undo` can tell the user's later edits from the step's
 * and refuse to overwrite them. Best effort: a step that ran is never failed for its record.
 */
async function recordLeft(store: Store, checkpoint: Checkpoint, outcome: string): Promise<void> {
  await store.recordAfter(checkpoint, {outcome}).catch(() => undefined)
}
