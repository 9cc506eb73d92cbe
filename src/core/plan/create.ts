import {statSync} from 'node:fs'
import path from 'node:path'
import type {Project} from '../agent/project.js'
import type {Runtime} from '../agent/runtime.js'
import {newId} from '../agent/run-task.js'
import {RepoStateError} from '../errors/index.js'
import type {Store} from '../store/store.js'
import {estimatePlan} from './estimate.js'
import {loadPlan, savePlan} from './plan-store.js'
import {requestPlan} from './planner.js'
import type {ApprovalStore} from '../trust/approvals.js'
import type {Plan} from './schema.js'
import type {CostMeter} from '../model/cost.js'
import {pricesFor} from '../model/prices.js'
import type {TelemetryRecorder} from '../telemetry/recorder.js'
import {approveStepContent, type StepApprovalState} from './step-approval.js'

/** A started plan owns the checked-out scratch branch: a new plan would branch from it. Say so before any model call. */
async function assertNoPlanInProgress(store: Store): Promise<void> {
  const id = await store.activePlan()
  if (!id) return
  const current = await loadPlan(store, id).catch(() => undefined)
  if (current?.plan.branch && (current.plan.status === 'running' || current.plan.status === 'paused' || current.plan.status === 'done')) {
    throw new RepoStateError(`plan ${id} is in progress on ${current.plan.branch}`, 'finish it with `git pare finish` or stop it with `git pare abort`, then plan again', 'plan_in_progress')
  }
}

/** Tokens of the project map sent to the planner. */
export const MAP_TOKENS = 1500

export interface CreatePlanOptions {
  store: Store
  runtime: Runtime
  project: Project
  task: string
  /** Approve every step on creation (recorded in the user's approval store, like `git pare plan approve --all`). */
  yes?: boolean
  approvals: ApprovalStore
  signal?: AbortSignal
  now?: () => Date
  /** Prices the planner's requests and holds --max-cost. */
  meter?: CostMeter
  recorder?: TelemetryRecorder
}

export interface CreatePlanResult {
  plan: Plan
  tokens: {input: number; output: number}
  /** USD of the planner's requests at the profile's prices; null when the planner model has no known price. */
  cost_usd: number | null
  attempts: number
  /** Names in `files` that were neither paths nor known symbols. */
  unresolved: string[]
  /** Each step's approval state here (all approved with `yes`). */
  approval: StepApprovalState[]
}

/**
 * `git pare plan`: a deterministic project map (index symbols, git status, conventions) -> the planner
 * model -> a validated plan (one retry with the errors) -> symbol names resolved to paths, files that
 * usually change together suggested, a cost estimate -> stored on refs/parecode/plans/<id> and made active.
 * Nothing is stored when the planner fails.
 */
export async function createPlan(opts: CreatePlanOptions): Promise<CreatePlanResult> {
  const {store, runtime: rt} = opts
  const root = store.paths.root
  await assertNoPlanInProgress(store)
  const [{buildIndex}, {coChangedFiles, gitStatusShort}] = await Promise.all([import('../index/build-index.js'), import('../index/git-context.js')])
  const index = await buildIndex(store.paths, {signal: opts.signal})
  const [status, conventions] = await Promise.all([gitStatusShort(root, {maxLines: 15, signal: opts.signal}), opts.project.context()])
  const projectMap = index.projectMap({budgetTokens: MAP_TOKENS, countTokens: (t) => rt.counter.count(t)})
  const res = await requestPlan({
    client: rt.client,
    model: rt.profile.plannerModel && rt.profile.plannerModel !== rt.profile.model ? rt.profile.plannerModel : undefined,
    task: opts.task,
    context: {projectMap, status, conventions: conventions?.replace(/\n*git status --short[\s\S]*$/, '')},
    signal: opts.signal,
    meter: opts.meter,
    countTokens: (m) => rt.counter.countMessages(m),
    recorder: opts.recorder,
  })
  const unresolved: string[] = []
  for (const step of res.steps) {
    const r = index.resolve(step.files)
    step.files = r.paths
    unresolved.push(...r.unresolved)
    step.approved = Boolean(opts.yes)
  }
  // Files that historically change with a step's files are worth a look; a hint, not an attachment.
  for (const step of res.steps) {
    if (!step.files.length) continue
    const related = await coChangedFiles(root, step.files, {limit: 2, signal: opts.signal}).catch(() => [])
    const extra = related.filter((f) => !step.files.includes(f))
    if (extra.length) step.instruction += `\n(Files that usually change together with these: ${extra.join(', ')}.)`
  }
  const now = (opts.now ?? (() => new Date()))()
  const fileBytes = (f: string) => {
    try {
      return statSync(path.join(root, f)).size
    } catch {
      return 0
    }
  }
  const plan: Plan = {
    id: newId(now),
    task: opts.task,
    status: 'draft',
    created_at: now.toISOString(),
    model: rt.profile.model,
    ...(rt.profile.plannerModel && rt.profile.plannerModel !== rt.profile.model ? {planner_model: rt.profile.plannerModel} : {}),
    // The step model's prices (the profile's, else the table's): a known model gets a money estimate too.
    estimate: estimatePlan(res.steps, fileBytes, pricesFor(rt.profile, rt.profile.model)),
    tokens: res.tokens,
    steps: res.steps,
  }
  await store.withLock(async () => {
    await savePlan(store, plan, `plan: ${opts.task.split('\n')[0]!.slice(0, 72)}`, null)
    await store.setActivePlan(plan.id)
    if (opts.yes) await approveStepContent(opts.approvals, store.paths.commonDir, plan, plan.steps.map((_, i) => i))
  })
  const approval: StepApprovalState[] = plan.steps.map(() => ({state: opts.yes ? 'approved' : 'unapproved', changed: [], foreign: false}))
  return {plan, tokens: res.tokens, cost_usd: res.cost_usd, attempts: res.attempts, unresolved: [...new Set(unresolved)], approval}
}
