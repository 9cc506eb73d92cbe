import {RepoStateError} from '../errors/index.js'
import {planToYaml} from '../plan/plan-yaml.js'
import type {Plan} from '../plan/schema.js'
import {stepContent} from '../plan/step-approval.js'
import type {StepOutcome} from '../plan/step-runner.js'
import {PLANS, writePlanCommit} from '../store/plans.js'
import {readRef, updateRefs} from '../store/refs.js'
import {scanOutgoing} from '../store/sync.js'
import type {Store} from '../store/store.js'
import {releaseClaim, releaseUpdate, type HeldClaim, type WorkerId} from './lease.js'
import {fetchPlanState, pushLeased, readPlanAt, stepBranch, type LeasedUpdate, type RemotePlanState} from './remote.js'

/** What a worker ran, to record on the shared plan. */
export interface StepResult {
  n: number
  /** stepContent() of the step as it ran: the outcome is recorded only on that same content. */
  content: string
  outcome: StepOutcome
  commit?: string
}

export type PublishOutcome = 'published' | 'lost' | 'changed' | 'gone'

const MAX_TRIES = 10

function apply(plan: Plan, r: StepResult, worker: WorkerId, at: Date): void {
  const step = plan.steps[r.n - 1]!
  const o = r.outcome
  step.status = o.ok ? 'done' : 'failed'
  if (o.ok) {
    if (r.commit) step.commit = r.commit
    else delete step.commit
    step.summary = o.summary
    delete step.last_error
  } else step.last_error = o.verify || 'failed'
  step.tokens = {input: (step.tokens?.input ?? 0) + o.tokens.input, output: (step.tokens?.output ?? 0) + o.tokens.output}
  plan.tokens = {input: (plan.tokens?.input ?? 0) + o.tokens.input, output: (plan.tokens?.output ?? 0) + o.tokens.output}
  step.attempts = (step.attempts ?? 0) + o.attempts
  step.ran = {by: worker.by, host: worker.host, at: at.toISOString()}
  plan.status = plan.steps.every((s) => s.status === 'done') ? 'done' : plan.steps.some((s) => s.status === 'failed') ? 'paused' : 'running'
}

/**
 * Record a step's outcome on the remote: its branch, the plan commit marking it done or failed, and the release of
 * its claim, in one atomic push where each ref must still hold what was just fetched. When the plan moved meanwhile
 * (another worker recorded its step) the change is re-applied to the new plan and pushed again. `lost`: the claim was
 * taken over (this result is discarded); `changed`: the step's content changed or it is no longer open (the claim is
 * released, nothing recorded); `gone`: the plan is no longer there or no longer valid.
 */
export async function publishStep(store: Store, remote: string, planId: string, held: HeldClaim, r: StepResult, worker: WorkerId): Promise<PublishOutcome> {
  for (let attempt = 1; attempt <= MAX_TRIES; attempt++) {
    const state = await fetchPlanState(store, remote, planId)
    const claim = state.claims.get(r.n)
    if (claim?.oid !== held.oid) return 'lost'
    if (!state.plan || 'problem' in state.plan) {
      await releaseClaim(store, remote, held).catch(() => false)
      return 'gone'
    }
    const {plan, commit: planCommit} = state.plan
    const step = plan.steps[r.n - 1]
    if (!step || step.status !== 'pending' || stepContent(plan, r.n - 1) !== r.content) {
      await releaseClaim(store, remote, held).catch(() => false)
      return 'changed'
    }
    apply(plan, r, worker, store.ctx.now())
    const verb = r.outcome.ok ? 'done' : 'failed'
    const next = await writePlanCommit(store.ctx, planId, planToYaml(plan), `step ${r.n}: ${verb} (${worker.by} on ${worker.host})`, planCommit, {'Pare-Step': r.n})
    const updates: LeasedUpdate[] = []
    if (r.outcome.ok && r.commit) updates.push({ref: `refs/heads/${stepBranch(planId, r.n)}`, new: r.commit, expect: state.branches.get(r.n) ?? null})
    updates.push({ref: `${PLANS}/${planId}`, new: next, expect: planCommit}, releaseUpdate(held))
    const res = await pushLeased(store, remote, updates)
    if (res.ok) {
      await followRemotePlan(store, planId, next)
      return 'published'
    }
    if (res.rejected.some((x) => x.ref === held.ref && /stale/.test(x.reason))) return 'lost'
  }
  throw new RepoStateError(`could not record step ${r.n} of plan ${planId} on ${remote}: the plan kept changing`, 'run `git pare work` again; the step stays claimed until its lease ends', 'plan_race')
}

/**
 * A step's change is scanned like everything `git pare push` sends: one that holds a secret is recorded as failed and
 * its branch is not pushed, so the secret never reaches the remote (the commit stays on this clone's step branch).
 */
export async function withoutSecrets(store: Store, remote: string, r: StepResult): Promise<StepResult> {
  if (!r.outcome.ok || !r.commit) return r
  const {findings} = await scanOutgoing(store.ctx, remote, [{ref: 'step', oid: r.commit}])
  if (findings.length === 0) return r
  const what = findings.length === 1 ? 'a secret' : `${findings.length} secrets`
  const where = [...new Set(findings.map((f) => f.path))].slice(0, 3).join(', ')
  const verify = `not pushed: the step's change holds ${what} (${where}); remove it and run the step again`
  return {...r, commit: undefined, outcome: {...r.outcome, ok: false, status: 'failed', verify}}
}

/**
 * Bring the local plan ref to the remote's commit where that is a fast-forward (or the plan is new here), so `log`
 * and `plan show` on this clone see the shared state. A plan changed here too is left alone: false.
 */
export async function followRemotePlan(store: Store, planId: string, remoteCommit: string): Promise<boolean> {
  const ref = `${PLANS}/${planId}`
  const mine = await readRef(store.ctx, ref)
  if (mine === remoteCommit) return true
  if (mine && (await store.ctx.run(['merge-base', '--is-ancestor', mine, remoteCommit], {allowFail: true})).code !== 0 && !(await onlyApprovedFlags(store, planId, mine, remoteCommit))) return false
  try {
    await updateRefs(store.ctx, [{ref, new: remoteCommit, old: mine}], `git-pare: work ${planId}`)
    return true
  } catch {
    return false
  }
}

// `git pare plan approve` on a worker's clone commits plan.yaml's `approved` flags there (display data; the approval
// itself is in the user's store). Local commits that changed nothing else are not the user's work: the remote's plan
// may replace them.
async function onlyApprovedFlags(store: Store, planId: string, mine: string, remoteCommit: string): Promise<boolean> {
  const mb = (await store.ctx.run(['merge-base', mine, remoteCommit], {allowFail: true})).stdout.trim()
  if (!mb) return false
  const [a, b] = await Promise.all([readPlanAt(store, mine, planId), readPlanAt(store, mb, planId)])
  if ('problem' in a || 'problem' in b) return false
  const bare = (p: Plan) => planToYaml({...p, steps: p.steps.map((s) => ({...s, approved: false}))})
  return bare(a.plan) === bare(b.plan)
}

/**
 * A plan that never ran has no base: the first worker records where it starts, this clone's branch and commit, which
 * must be on the remote already so every worker can fetch it. False when another worker recorded one first.
 */
export async function startRemotePlan(store: Store, remote: string, state: RemotePlanState & {plan: {commit: string; plan: Plan}}): Promise<boolean> {
  const {plan, commit: planCommit} = state.plan
  const head = (await store.ctx.run(['symbolic-ref', '-q', '--short', 'HEAD'], {allowFail: true})).stdout.trim()
  const at = await store.revParse('HEAD^{commit}')
  if (!head || !at) throw new RepoStateError(`plan ${plan.id} has not started, and this clone is not on a branch to start it from`, 'switch to the branch the plan is for (its commit must be on the remote), then run `git pare work` again', 'not_started')
  if (!(await onRemote(store, remote, at))) {
    throw new RepoStateError(`plan ${plan.id} would start from ${head} (${at.slice(0, 7)}), which is not on ${remote}`, `push it first (\`git push ${remote} ${head}\`) so every worker can fetch it`, 'base_not_pushed')
  }
  plan.base = {branch: head, commit: at}
  plan.status = 'running'
  const next = await writePlanCommit(store.ctx, plan.id, planToYaml(plan), `start on ${remote} from ${head}`, planCommit)
  const res = await pushLeased(store, remote, [{ref: `${PLANS}/${plan.id}`, new: next, expect: planCommit}])
  if (res.ok) await followRemotePlan(store, plan.id, next)
  return res.ok
}

// Whether a commit is reachable from one of the remote's branches (as far as this clone has their commits).
async function onRemote(store: Store, remote: string, commit: string): Promise<boolean> {
  const res = await store.ctx.run(['ls-remote', '--heads', '--', remote], {allowFail: true})
  for (const line of res.stdout.split('\n')) {
    const oid = line.split('\t')[0]?.trim()
    if (!oid || !/^[0-9a-f]{40,64}$/.test(oid)) continue
    if (oid === commit) return true
    if ((await store.ctx.run(['merge-base', '--is-ancestor', commit, oid], {allowFail: true})).code === 0) return true
  }
  return false
}
