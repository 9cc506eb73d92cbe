import {UsageError} from '../errors/index.js'
import type {Store} from '../store/store.js'
import {formatEstimate} from './estimate.js'
import {loadPlan, savePlan, stepIndex} from './plan-store.js'
import {neutralise, neutraliseLine} from '../text/terminal.js'
import type {ApprovalStore} from '../trust/approvals.js'
import {planFromYaml, planToYaml} from './plan-yaml.js'
import type {Plan} from './schema.js'
import {stepDeps, stepWaves} from './deps.js'
import {approveStepContent, readStepApprovals, type StepApprovalState} from './step-approval.js'

const MARK: Record<string, string> = {pending: '○', done: '✓', failed: '✗'}

function approvalMark(s: Plan['steps'][number], a: StepApprovalState | undefined): string {
  if (s.status === 'done' || !a || a.state === 'approved') return ''
  return a.state === 'changed' ? ` (changed since approved: ${a.changed.join(', ')})` : ' (not approved here)'
}

/**
 * The plan as a reader sees it: header with estimate, one block per step. `approvals` is each step's state on this
 * machine (readStepApprovals); plan.yaml's own `approved` flags are not shown, since anyone who can push can set them.
 * Every text of the plan may come from a remote, so it is neutralised for the terminal.
 */
export function renderPlan(plan: Plan, approvals: StepApprovalState[], claims?: Map<number, StepClaim>): string {
  const t = neutralise
  const lines = [`plan ${plan.id} · ${plan.status} · ${plan.steps.length} steps${plan.estimate ? ` · ${formatEstimate(plan.estimate)}` : ''}`, `task: ${t(plan.task)}`]
  if (plan.branch) lines.push(`branch: ${plan.branch}${plan.base ? ` (from ${plan.base.branch ?? plan.base.commit.slice(0, 7)})` : ''}`)
  if (plan.tokens) lines.push(`tokens so far: ${plan.tokens.input} in / ${plan.tokens.output} out`)
  const deps = stepDeps(plan)
  const waves = stepWaves(plan)
  if (waves.length < plan.steps.length) lines.push(`order: ${waves.map((w) => w.join(' ')).join(' → ')}  (steps side by side may run at once: git pare step --all --jobs N)`)
  plan.steps.forEach((s, i) => {
    lines.push('', `${MARK[s.status] ?? '?'} ${i + 1}. ${neutraliseLine(s.description)}${approvalMark(s, approvals[i])}`)
    lines.push(`     ${t(s.instruction).split('\n').join('\n     ')}`)
    if (s.annotation) lines.push(`     note: ${t(s.annotation).split('\n').join('\n     ')}`)
    if (s.files.length) lines.push(`     files: ${s.files.map(neutraliseLine).join(', ')}`)
    if (deps[i]!.length) lines.push(`     runs after: ${deps[i]!.join(', ')}${s.after ? '' : ' (shared files)'}`)
    const v = s.verify
    lines.push(`     verify: ${v.type}${'pattern' in v ? ` /${neutraliseLine(v.pattern)}/` : ''}${'path' in v && v.path ? ` in ${neutraliseLine(v.path)}` : ''}${'command' in v && v.command ? ` \`${neutraliseLine(v.command)}\`` : ''} · budget ${s.tool_budget} calls${s.route ? ` · route ${s.route}` : ''}`)
    if (s.last_error) lines.push(`     last failure: ${neutraliseLine(s.last_error)}`)
    const c = s.status === 'pending' ? claims?.get(i + 1) : undefined
    if (c) lines.push(`     claimed by ${neutraliseLine(c.by)} on ${neutraliseLine(c.host)} until ${neutraliseLine(c.until)} (${neutraliseLine(c.remote)})`)
    else if (s.ran) lines.push(`     ran on ${neutraliseLine(s.ran.host)} by ${neutraliseLine(s.ran.by)} at ${neutraliseLine(s.ran.at)}`)
  })
  return lines.join('\n')
}

/** A plan step as `--json` shows it: `approved` is this machine's approval of its current content, not plan.yaml's flag. */
export type ShownStep = Plan['steps'][number] & {approval: StepApprovalState['state']; changed?: string[]; deps: number[]; claim?: StepClaim}

/** A worker's live claim on a pending step (`git pare work`), as last fetched. */
export interface StepClaim {
  by: string
  host: string
  until: string
  remote: string
}

/** The plan for `--json`: each step's `approved` and `approval` say where it stands here. */
export function planForJson(plan: Plan, approvals: StepApprovalState[], claims?: Map<number, StepClaim>): Omit<Plan, 'steps'> & {steps: ShownStep[]} {
  const deps = stepDeps(plan)
  return {
    ...plan,
    steps: plan.steps.map((s, i) => {
      const a = approvals[i] ?? {state: 'unapproved' as const, changed: [], foreign: false}
      return {...s, approved: a.state === 'approved', approval: a.state, ...(a.changed.length ? {changed: a.changed} : {}), deps: deps[i]!, ...(s.status === 'pending' && claims?.get(i + 1) ? {claim: claims.get(i + 1)!} : {})}
    }),
  }
}

/** The active plan (or the one named) with each step's approval state on this machine (one read of the approval store). */
export async function planWithApprovals(store: Store, approvals: ApprovalStore, id?: string): Promise<{plan: Plan; approvals: StepApprovalState[]}> {
  const {plan} = await loadPlan(store, id)
  return {plan, approvals: await readStepApprovals(approvals, store.paths.commonDir, plan)}
}

/**
 * Approve one step, or all with n undefined: the user's approval store records the content they approved
 * (what `git pare step` checks). plan.yaml's `approved` flag is updated too, for display only.
 */
export async function approveSteps(store: Store, approvals: ApprovalStore, n?: number, id?: string): Promise<{plan: Plan; approved: number[]}> {
  return store.withLock(async () => {
    const {plan, commit} = await loadPlan(store, id)
    const idx = n === undefined ? plan.steps.map((_, i) => i) : [stepIndex(plan, n)]
    await approveStepContent(approvals, store.paths.commonDir, plan, idx)
    if (idx.some((i) => !plan.steps[i]!.approved)) {
      for (const i of idx) plan.steps[i]!.approved = true
      await savePlan(store, plan, n === undefined ? 'approve all steps' : `approve step ${n}`, commit)
    }
    return {plan, approved: idx.map((i) => i + 1)}
  })
}

/** Add a user note to a step's instruction (seed: "User note: …"). */
export async function annotateStep(store: Store, n: number, note: string, id?: string): Promise<Plan> {
  if (!note.trim()) throw new UsageError('the note is empty', 'git pare plan annotate 2 "keep the old name as an alias"')
  return store.withLock(async () => {
    const {plan, commit} = await loadPlan(store, id)
    const s = plan.steps[stepIndex(plan, n)]!
    s.annotation = s.annotation ? `${s.annotation}\n${note.trim()}` : note.trim()
    await savePlan(store, plan, `annotate step ${n}`, commit)
    return plan
  })
}

/**
 * Replace the plan with an edited YAML text (from $EDITOR). Invalid YAML or an invalid plan is a
 * UsageError and the stored plan stays as it was. The id cannot change.
 */
export async function replacePlanYaml(store: Store, text: string, id?: string): Promise<Plan> {
  return store.withLock(async () => {
    const {plan: old, commit} = await loadPlan(store, id)
    const edited = planFromYaml(text, 'edited plan')
    if (edited.id !== old.id) throw new UsageError(`the plan id cannot change (was ${old.id}); your edit was not saved`)
    await savePlan(store, edited, 'edit plan', commit)
    return edited
  })
}

export {planToYaml}
