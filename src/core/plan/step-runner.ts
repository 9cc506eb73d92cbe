import {readRepoText} from '../fs/repo-file.js'
import path from 'node:path'
import {runAgent, systemPrompt, type AgentEvent} from '../agent/loop.js'
import type {Project} from '../agent/project.js'
import type {Runtime} from '../agent/runtime.js'
import {InterruptedError, RepoStateError, UsageError} from '../errors/index.js'
import {fileSymbols} from '../index/file-symbols.js'
import type {Checkpoint} from '../store/checkpoints.js'
import type {Store} from '../store/store.js'
import type {TelemetryRecord} from '../telemetry/record.js'
import {dropUncommitted, recordUncommitted} from '../store/uncommitted.js'
import {diffNames} from '../store/worktree.js'
import {summariseStep} from './carry-forward.js'
import {stepExcerpts} from './excerpts.js'
import {loadPlan, savePlan, stepIndex} from './plan-store.js'
import {modelFor} from './routes.js'
import type {Plan, PlanStep, Verification} from './schema.js'
import {commitWorkTree, ensureOnBranch, isDirty, startScratchBranch} from './scratch-branch.js'
import type {ApprovalStore} from '../trust/approvals.js'
import {assertRunnable, readStepApprovals} from './step-approval.js'
import {verifyStep, type VerifyResult} from './verify.js'

export type StepEvent =
  | {type: 'step_start'; n: number; description: string; route: string; model: string; attempt: number}
  | {type: 'agent'; n: number; event: AgentEvent}
  | {type: 'verify'; n: number; result: VerifyResult}
  | {type: 'step_end'; n: number; ok: boolean; commit?: string}
  | {type: 'note'; message: string}

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
  onEvent?: (e: StepEvent) => void
  /** Telemetry record per attempt. */
  onRecord?: (r: TelemetryRecord) => void
  /** The user's approvals: a step runs only when its current content is approved here. */
  approvals: ApprovalStore
}

const MAX_ATTEMPTS = 2

function describeVerify(v: Verification): string {
  switch (v.type) {
    case 'none':
      return 'none'
    case 'file_changed':
      return `${v.path ?? 'a file'} must change`
    case 'pattern_absent':
      return `no match left for /${v.pattern}/${v.path ? ` in ${v.path}` : ''}`
    case 'command_success':
      return `\`${v.command}\` must exit 0`
    case 'build_success':
      return v.command ? `\`${v.command}\` must exit 0` : 'the project must build'
  }
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
  const open = plan.steps.flatMap((s, i) => (s.status === 'done' ? [] : [i]))
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
  const {store, runtime: rt, project} = opts
  const step = plan.steps[i]!
  const n = i + 1
  const root = store.paths.root
  const checkpoint = await store.checkpoint(`before step ${n}: ${step.description}`, {plan: plan.id, step: n, branch: `refs/heads/${plan.branch}`})
  const {route, model} = modelFor(step, rt.profile.modelRoutes, rt.profile.model)
  const carry = plan.steps.flatMap((s, k) => (k !== i && s.status === 'done' ? [`step ${k + 1}: ${s.description}`, ...(s.summary ?? []).map((l) => `  ${l}`)] : []))
  const preamble = carry.length ? `Completed steps of this plan (already done; do not redo them):\n${carry.join('\n')}` : undefined
  const attachments = await stepExcerpts(root, step.files, rt.counter, {anchors: rt.profile.editFormat.anchors})
  const context = await project.context()
  const tools = await rt.tools()
  const touched = new Set<string>()
  const outcome: StepOutcome = {n, description: step.description, ok: false, status: 'failed', attempts: 0, verify: '', tokens: {input: 0, output: 0}, first_request_tokens: [], summary: [], answer: ''}
  let feedback = ''
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    outcome.attempts = attempt
    opts.onEvent?.({type: 'step_start', n, description: step.description, route, model, attempt})
    const task = [
      `Plan: ${plan.task}`,
      `Step ${n} of ${plan.steps.length}: ${step.instruction}`,
      step.annotation ? `User note: ${step.annotation}` : '',
      `Done when: ${describeVerify(step.verify)}.`,
      feedback,
    ]
      .filter(Boolean)
      .join('\n\n')
    const {TelemetryRecorder} = await import('../telemetry/recorder.js')
    const recorder = new TelemetryRecorder({kind: 'step', model, profile: rt.profile.name, contextWindow: rt.profile.contextWindow, task: `${plan.id} step ${n}`})
    let first = true
    const res = await runAgent(
      {system: systemPrompt(context), task, attachments, preamble},
      {
        client: rt.client,
        model: model === rt.profile.model ? undefined : model,
        tools,
        ctx: rt.toolContext({afterEdit: project.afterEdit(checkpoint.tree, touched), onEditOutcome: recorder.onEditOutcome}),
        counter: rt.counter,
        budgetTokens: rt.budgetTokens,
        maxToolCalls: step.tool_budget,
        signal: opts.signal,
        recorder,
        onEvent: (event) => {
          if (event.type === 'request' && first) {
            first = false
            outcome.first_request_tokens.push(event.tokens)
          }
          opts.onEvent?.({type: 'agent', n, event})
        },
      },
    )
    outcome.tokens.input += res.tokens.input
    outcome.tokens.output += res.tokens.output
    outcome.answer = res.answer
    if (res.stop === 'interrupted') {
      opts.onRecord?.(recorder.finish('interrupted'))
      outcome.verify = 'interrupted'
      await recordLeft(store, checkpoint, 'interrupted')
      return outcome
    }
    const changes = await diffNames(store.ctx, checkpoint.tree, await store.worktreeTree())
    // New files no edit tool wrote (a test run's cache, build output) are not the step's change.
    const artifacts = changes.filter((d) => d.status === 'A' && !touched.has(d.path)).map((d) => d.path)
    const v = await verifyStep(step.verify, {root, changed: changes.map((d) => d.path), artifacts, runCommand: (c) => project.runCommand(c), buildCommand: project.buildCommand, signal: opts.signal})
    opts.onEvent?.({type: 'verify', n, result: v})
    outcome.verify = v.summary
    opts.onRecord?.(recorder.finish(v.ok ? 'done' : 'failed'))
    if (v.ok) {
      const trailers = `Pare-Plan: ${plan.id}\nPare-Step: ${n}\nPare-Tokens: ${outcome.tokens.input} in, ${outcome.tokens.output} out\nPare-Verify: ${v.summary}\n`
      const made = await commitWorkTree(store, plan.branch!, `step ${n}: ${step.description}\n\n${trailers}`)
      outcome.ok = true
      outcome.status = 'done'
      outcome.commit = made ?? undefined
      if (made) {
        outcome.summary = await summariseStep({root, from: checkpoint.commit, to: made, symbolsOf: fileSymbols, readFile: (p) => readRepoText(root, p, {maxBytes: 4 << 20})})
      }
      await recordLeft(store, checkpoint, 'done')
      await project.event('on_plan_step_done')
      opts.onEvent?.({type: 'step_end', n, ok: true, commit: outcome.commit})
      return outcome
    }
    feedback = `Your previous attempt at this step did not pass its check. Fix it; the files already contain that attempt's changes.\n${v.output.slice(0, 3000)}`
  }
  await recordLeft(store, checkpoint, `failed: ${outcome.verify ?? 'check'}`)
  opts.onEvent?.({type: 'step_end', n, ok: false})
  return outcome
}

/**
 * The state the step left the work tree in, so `git pare undo` can tell the user's later edits from the step's
 * and refuse to overwrite them. Best effort: a step that ran is never failed for its record.
 */
async function recordLeft(store: Store, checkpoint: Checkpoint, outcome: string): Promise<void> {
  await store.recordAfter(checkpoint, {outcome}).catch(() => undefined)
}
