import type {Project} from '../agent/project.js'
import type {Runtime} from '../agent/runtime.js'
import {InterruptedError, RepoStateError, UsageError} from '../errors/index.js'
import {claimLive} from '../plan/claims.js'
import {readySteps} from '../plan/deps.js'
import {runIsolatedStep} from '../plan/isolated-step.js'
import type {Plan} from '../plan/schema.js'
import {describeApproval, readStepApprovals, stepContent} from '../plan/step-approval.js'
import type {StepEvent, StepOutcome} from '../plan/step-runner.js'
import type {Store} from '../store/store.js'
import type {TelemetryRecord} from '../telemetry/record.js'
import type {ApprovalStore} from '../trust/approvals.js'
import {Heartbeat, releaseClaim, tryClaim, workerIdentity, type HeldClaim, type WorkerId} from './lease.js'
import {followRemotePlan, publishStep, startRemotePlan, withoutSecrets} from './publish.js'
import {fetchPlanState, type RemotePlanState} from './remote.js'
import {stepBase} from './step-base.js'

export type WorkEvent =
  | {type: 'claimed'; n: number; description: string; took_over?: {by: string; host: string}}
  | {type: 'step'; n: number; event: StepEvent}
  | {type: 'recorded'; n: number; ok: boolean; commit?: string}
  | {type: 'discarded'; n: number; reason: string}
  | {type: 'skipped'; n: number; reason: string}
  | {type: 'waiting'; steps: {n: number; by: string; host: string; until: string}[]}
  | {type: 'note'; message: string}

export interface WorkOptions {
  store: Store
  runtime: Runtime
  project?: Project
  /** The user's approvals (wrapped by a delegation for --trust-plan). */
  approvals: ApprovalStore
  remote: string
  plan: string
  /** Steps run at once by this worker (default 1). */
  jobs?: number
  /** How long a claim holds without renewal, in ms. */
  leaseMs: number
  /** How often to look again while other workers hold the remaining steps (default: a quarter lease, 0.5 to 10 s). */
  pollMs?: number
  signal?: AbortSignal
  onEvent?: (e: WorkEvent) => void
  onRecord?: (r: TelemetryRecord) => void
}

/** A step this worker ran. */
export interface WorkedStep {
  n: number
  description: string
  ok: boolean
  /** Whether its outcome is on the remote's plan (false: discarded, see `discarded`). */
  recorded: boolean
  discarded?: string
  commit?: string
  branch?: string
  verify: string
  attempts: number
  tokens: {input: number; output: number}
}

export interface WorkResult {
  plan: string
  remote: string
  worker: {by: string; host: string; holder: string}
  steps: WorkedStep[]
  skipped: {n: number; reason: string}[]
  plan_status: Plan['status']
  /** Every step of the plan as the remote has it now. */
  states: {n: number; status: string}[]
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(done, ms)
    function done() {
      clearTimeout(t)
      signal?.removeEventListener('abort', done)
      resolve()
    }
    signal?.addEventListener('abort', done, {once: true})
  })

function usablePlan(state: RemotePlanState, id: string, remote: string): {commit: string; plan: Plan} {
  if (!state.plan) throw new UsageError(`${remote} has no plan "${id}"`, 'push it from the clone that made it (`git pare push`), or list plans with `git pare log`', 'no_plan')
  if ('problem' in state.plan) throw new RepoStateError(`plan ${id} on ${remote} is not a valid plan: ${state.plan.problem}`, `see where it came from with \`git log refs/parecode-remote/${remote}/plans/${id}\``, 'invalid_plan')
  return state.plan
}

/**
 * `git pare work`: take steps of a shared plan one claim at a time until none is left to take. A step is taken when
 * it is pending, every step it waits for is done, no live claim holds it, and it is approved here (or delegated).
 * Each runs in its own worktree from the plan's base plus the done steps it waits for; its outcome, branch and the
 * claim's release are pushed together. The loop ends when no step is ready and no other worker holds one that could
 * make more ready.
 */
export async function work(opts: WorkOptions): Promise<WorkResult> {
  const {store, remote, plan: id} = opts
  const jobs = Math.max(1, opts.jobs ?? 1)
  const pollMs = opts.pollMs ?? Math.min(10_000, Math.max(500, Math.floor(opts.leaseMs / 4)))
  const emit = (e: WorkEvent) => opts.onEvent?.(e)
  const worker = await workerIdentity(store)
  const running = new Map<number, Promise<void>>()
  const steps: WorkedStep[] = []
  const skipped = new Map<number, string>()
  const errors: unknown[] = []
  let state: RemotePlanState | undefined
  let last: {commit: string; plan: Plan} | undefined
  let waitingOn = ''
  try {
    for (;;) {
      if (opts.signal?.aborted || errors.length) break
      state = await fetchPlanState(store, remote, id)
      const current = usablePlan(state, id, remote)
      last = current
      const plan = current.plan
      if (plan.status === 'finished' || plan.status === 'aborted') {
        emit({type: 'note', message: `plan ${id} is ${plan.status}: nothing to do`})
        break
      }
      if (plan.branch) throw new RepoStateError(`plan ${id} is being run with \`git pare step\` on ${plan.branch}`, 'a plan runs either with `git pare step` on one clone or with `git pare work`; finish or abort it there first', 'plan_in_progress')
      if (!plan.base) {
        await startRemotePlan(store, remote, {...state, plan: current})
        continue
      }
      await followRemotePlan(store, id, current.commit)
      const approval = await readStepApprovals(opts.approvals, store.paths.commonDir, plan)
      const now = store.ctx.now()
      let started = 0
      let lostRace = false
      for (const n of readySteps(plan)) {
        if (running.size >= jobs || opts.signal?.aborted) break
        if (running.has(n) || plan.steps[n - 1]!.status !== 'pending') continue
        const a = approval[n - 1]!
        if (a.state !== 'approved') {
          const reason = `${describeApproval(n, a)}; skipped (approve it with \`git pare plan approve ${n} --plan ${id}\`, or delegate with --trust-plan ${id})`
          if (skipped.get(n) !== reason) emit({type: 'skipped', n, reason})
          skipped.set(n, reason)
          continue
        }
        const seen = state.claims.get(n)
        if (claimLive(seen?.claim, now)) continue
        const held = await tryClaim(store, remote, worker, id, n, seen, opts.leaseMs, now)
        if (!held) {
          lostRace = true
          continue
        }
        skipped.delete(n)
        const prior = seen?.claim && !('invalid' in seen.claim) ? {by: seen.claim.by, host: seen.claim.host} : undefined
        emit({type: 'claimed', n, description: plan.steps[n - 1]!.description, ...(prior ? {took_over: prior} : {})})
        started++
        running.set(n, runClaimed(opts, worker, plan, held, steps, errors).finally(() => running.delete(n)))
      }
      const others = [...state.claims].flatMap(([n, {claim: c}]) => (c && !('invalid' in c) && !running.has(n) && plan.steps[n - 1]?.status === 'pending' && claimLive(c, now) ? [{n, by: c.by, host: c.host, until: c.expires_at}] : []))
      if (running.size === 0 && started === 0 && !lostRace && others.length === 0) break
      if (lostRace && started === 0 && running.size === 0) continue
      if (others.length && running.size === 0) {
        const key = others.map((o) => `${o.n}:${o.host}`).join(',')
        if (key !== waitingOn) emit({type: 'waiting', steps: others})
        waitingOn = key
      }
      // Until a job ends, or (with a free slot) the next look; the timer goes with the wait, so nothing outlives the loop.
      const wake = new AbortController()
      const onAbort = () => wake.abort()
      opts.signal?.addEventListener('abort', onAbort, {once: true})
      const settled = running.size ? Promise.race(running.values()) : new Promise<void>(() => undefined)
      await Promise.race([settled, sleep(running.size >= jobs ? 24 * 3600_000 : pollMs, wake.signal)])
      wake.abort()
      opts.signal?.removeEventListener('abort', onAbort)
    }
  } finally {
    await Promise.allSettled([...running.values()])
  }
  if (errors.length) throw errors[0]
  if (opts.signal?.aborted) throw new InterruptedError('interrupted; claimed steps were released (run `git pare work` again to go on)')
  // The final state, for the summary: one more look, so steps other workers recorded meanwhile count.
  const final = state ? await fetchPlanState(store, remote, id).catch(() => state!) : undefined
  const plan = final?.plan && !('problem' in final.plan) ? final.plan.plan : last?.plan
  if (final?.plan && !('problem' in final.plan)) await followRemotePlan(store, id, final.plan.commit)
  return {
    plan: id,
    remote,
    worker: {by: worker.by, host: worker.host, holder: worker.holder},
    steps: steps.sort((a, b) => a.n - b.n),
    skipped: [...skipped].map(([n, reason]) => ({n, reason})),
    plan_status: plan?.status ?? 'draft',
    states: (plan?.steps ?? []).map((s, i) => ({n: i + 1, status: s.status})),
  }
}

/** Run one claimed step, keep its claim alive meanwhile, and record the outcome (or let go of the claim). */
async function runClaimed(opts: WorkOptions, worker: WorkerId, plan: Plan, held: HeldClaim, out: WorkedStep[], errors: unknown[]): Promise<void> {
  const {store, remote} = opts
  const n = held.n
  const step = plan.steps[n - 1]!
  const stop = new AbortController()
  const onAbort = () => stop.abort()
  opts.signal?.addEventListener('abort', onAbort, {once: true})
  const heartbeat = new Heartbeat(store, remote, held, opts.leaseMs, () => store.ctx.now(), () => {
    opts.onEvent?.({type: 'note', message: `the claim on step ${n} was taken over (this worker was too slow to renew it); stopping the step`})
    stop.abort()
  }).start()
  const record = (o: StepOutcome, extra: Partial<WorkedStep>) =>
    out.push({n, description: step.description, ok: o.ok, recorded: false, verify: o.verify, attempts: o.attempts, tokens: o.tokens, ...extra})
  try {
    const base = await stepBase(store, remote, plan, n)
    if ('conflict' in base) {
      const outcome: StepOutcome = {n, description: step.description, ok: false, status: 'failed', attempts: 0, verify: `the steps it waits for conflict in ${base.conflict.join(', ')}`, tokens: {input: 0, output: 0}, first_request_tokens: [], summary: [], answer: ''}
      await heartbeat.stop()
      await finishStep(opts, worker, plan, held, outcome, undefined, record)
      return
    }
    const res = await runIsolatedStep({store, runtime: opts.runtime, project: opts.project, plan, n, base: base.commit, approvals: opts.approvals, signal: stop.signal, onEvent: (event) => opts.onEvent?.({type: 'step', n, event}), onRecord: opts.onRecord})
    await heartbeat.stop()
    if (heartbeat.lost) {
      opts.onEvent?.({type: 'discarded', n, reason: 'its claim was taken over by another worker'})
      record(res.outcome, {discarded: 'claim taken over', ...(res.commit ? {commit: res.commit} : {})})
      return
    }
    if (opts.signal?.aborted || res.outcome.verify === 'interrupted') {
      await releaseClaim(store, remote, held).catch(() => false)
      return
    }
    await finishStep(opts, worker, plan, held, res.outcome, res.commit, record, res.branch)
  } catch (err) {
    await heartbeat.stop()
    if (!heartbeat.lost) await releaseClaim(store, remote, held).catch(() => false)
    if (!(opts.signal?.aborted && (err as Error)?.name === 'AbortError')) errors.push(err)
  } finally {
    opts.signal?.removeEventListener('abort', onAbort)
  }
}

async function finishStep(opts: WorkOptions, worker: WorkerId, plan: Plan, held: HeldClaim, outcome: StepOutcome, commit: string | undefined, record: (o: StepOutcome, extra: Partial<WorkedStep>) => void, branch?: string): Promise<void> {
  const n = held.n
  const checked = await withoutSecrets(opts.store, opts.remote, {n, content: stepContent(plan, n - 1), outcome, ...(commit ? {commit} : {})})
  ;({outcome, commit} = checked)
  const res = await publishStep(opts.store, opts.remote, opts.plan, held, checked, worker)
  if (res === 'published') {
    opts.onEvent?.({type: 'recorded', n, ok: outcome.ok, ...(commit ? {commit} : {})})
    record(outcome, {recorded: true, ...(commit ? {commit, branch} : {})})
    return
  }
  const reason = res === 'lost' ? 'its claim was taken over by another worker' : res === 'changed' ? 'the step changed or was recorded on the remote while it ran' : 'the plan is no longer on the remote'
  opts.onEvent?.({type: 'discarded', n, reason})
  record(outcome, {discarded: reason})
}
