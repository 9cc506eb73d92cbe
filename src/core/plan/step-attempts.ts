import {readRepoText} from '../fs/repo-file.js'
import {runAgent, systemPrompt} from '../agent/loop.js'
import type {Project} from '../agent/project.js'
import type {Runtime} from '../agent/runtime.js'
import {fileSymbols} from '../index/file-symbols.js'
import type {StoreContext} from '../store/context.js'
import type {TelemetryRecord} from '../telemetry/record.js'
import {diffNames} from '../store/worktree.js'
import {summariseStep} from './carry-forward.js'
import {stepExcerpts} from './excerpts.js'
import {modelFor} from './routes.js'
import type {Plan, Verification} from './schema.js'
import type {StepEvent, StepOutcome} from './step-runner.js'
import {verifyStep} from './verify.js'
import {profileMeter, round6, type CostMeter} from '../model/cost.js'

const MAX_ATTEMPTS = 2

/** Where a step runs: the user's checkout (sequential) or a linked worktree of its own (parallel). */
export interface StepPlace {
  /** The work tree the model's tools and the checks work in. */
  root: string
  /** A worktree of the step's own: the tools are confined to `root` instead of the runtime's repository. */
  isolated?: boolean
  /** The tree and commit the step starts from (what "changed" is measured against, and the summary's base). */
  baseTree: string
  baseCommit: string
  /** Hooks and checks, running in `root`. */
  project: Project
  /** Object reads and diffs (any store of the repository: objects are shared). */
  ctx: StoreContext
  /** The work tree now, as a tree id. */
  tree(): Promise<string>
  /** Commit the work tree on the step's branch; null when nothing changed. */
  commit(message: string): Promise<string | null>
  /** After the step ends (done, failed, interrupted), before its step_end event: record the state it left. */
  settle?(outcome: string): Promise<void>
}

export interface AttemptOptions {
  runtime: Runtime
  plan: Plan
  /** 0-based step index. */
  i: number
  place: StepPlace
  signal?: AbortSignal
  onEvent?: (e: StepEvent) => void
  onRecord?: (r: TelemetryRecord) => void
  /** Prices the step and holds --max-cost across the steps of one command; default: the profile's prices, no limit. */
  meter?: CostMeter
}

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

/**
 * Run one step where `place` says: a fresh context (instruction, file excerpts, one line per done step), a
 * deterministic check, one retry with the check's output, and a commit when it passes. plan.yaml is not written.
 */
export async function attemptStep(opts: AttemptOptions): Promise<StepOutcome> {
  const {runtime: rt, plan, i, place} = opts
  const {project, root} = place
  const step = plan.steps[i]!
  const n = i + 1
  const {route, model} = modelFor(step, rt.profile.modelRoutes, rt.profile.model)
  const carry = plan.steps.flatMap((s, k) => (k !== i && s.status === 'done' ? [`step ${k + 1}: ${s.description}`, ...(s.summary ?? []).map((l) => `  ${l}`)] : []))
  const attachments = await stepExcerpts(root, step.files, rt.counter, {anchors: rt.profile.editFormat.anchors})
  // Blame context (plan 6o-iv): the last commit that touched each excerpt, a few capped lines.
  const blame = await (await import('../index/blame.js')).blameContext(root, attachments, rt.counter, {base: plan.base?.commit, signal: opts.signal}).catch(() => undefined)
  const preamble = [carry.length ? `Completed steps of this plan (already done; do not redo them):\n${carry.join('\n')}` : '', blame ?? ''].filter(Boolean).join('\n\n') || undefined
  const context = await project.context()
  const tools = await rt.tools({mcp: {kind: 'step', servers: step.mcp ?? [], route}})
  const touched = new Set<string>()
  const outcome: StepOutcome = {n, description: step.description, ok: false, status: 'failed', attempts: 0, verify: '', tokens: {input: 0, output: 0}, first_request_tokens: [], summary: [], answer: ''}
  const meter = opts.meter ?? profileMeter(rt.profile)
  outcome.cost_usd = meter.knows(model) ? 0 : null
  // The user's checkout keeps the runtime's own root; a worktree of its own confines the tools there.
  const rooted = place.isolated ? {root} : {}
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
        ctx: rt.toolContext({...rooted, afterEdit: project.afterEdit(place.baseTree, touched), onEditOutcome: recorder.onEditOutcome}),
        counter: rt.counter,
        budgetTokens: rt.budgetTokens,
        maxToolCalls: step.tool_budget,
        signal: opts.signal,
        recorder,
        meter,
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
    outcome.cost_usd = res.costUsd === null || outcome.cost_usd === null || outcome.cost_usd === undefined ? null : round6(outcome.cost_usd + res.costUsd)
    if (res.stop === 'cost') {
      // --max-cost: no check, no retry (it would be refused too); the step's work stays on its checkpoint.
      opts.onRecord?.(recorder.finish('limit'))
      outcome.verify = res.answer.replace(/^Stopped: /, 'stopped: ').replace(/\.$/, '')
      outcome.stopped = 'cost'
      await place.settle?.(outcome.verify)
      opts.onEvent?.({type: 'step_end', n, ok: false})
      return outcome
    }
    if (res.stop === 'interrupted') {
      opts.onRecord?.(recorder.finish('interrupted'))
      outcome.verify = 'interrupted'
      await place.settle?.('interrupted')
      return outcome
    }
    const changes = await diffNames(place.ctx, place.baseTree, await place.tree())
    // New files no edit tool wrote (a test run's cache, build output) are not the step's change.
    const artifacts = changes.filter((d) => d.status === 'A' && !touched.has(d.path)).map((d) => d.path)
    const v = await verifyStep(step.verify, {root, changed: changes.map((d) => d.path), artifacts, runCommand: (c) => project.runCommand(c), buildCommand: project.buildCommand, signal: opts.signal})
    opts.onEvent?.({type: 'verify', n, result: v})
    outcome.verify = v.summary
    opts.onRecord?.(recorder.finish(v.ok ? 'done' : 'failed'))
    if (v.ok) {
      const trailers = `Pare-Plan: ${plan.id}\nPare-Step: ${n}\nPare-Tokens: ${outcome.tokens.input} in, ${outcome.tokens.output} out\nPare-Verify: ${v.summary}\n`
      const made = await place.commit(`step ${n}: ${step.description}\n\n${trailers}`)
      outcome.ok = true
      outcome.status = 'done'
      outcome.commit = made ?? undefined
      if (made) {
        outcome.summary = await summariseStep({root, from: place.baseCommit, to: made, symbolsOf: fileSymbols, readFile: (p) => readRepoText(root, p, {maxBytes: 4 << 20})})
      }
      await place.settle?.('done')
      await project.event('on_plan_step_done')
      opts.onEvent?.({type: 'step_end', n, ok: true, commit: outcome.commit})
      return outcome
    }
    feedback = `Your previous attempt at this step did not pass its check. Fix it; the files already contain that attempt's changes.\n${v.output.slice(0, 3000)}`
  }
  await place.settle?.(`failed: ${outcome.verify ?? 'check'}`)
  opts.onEvent?.({type: 'step_end', n, ok: false})
  return outcome
}
