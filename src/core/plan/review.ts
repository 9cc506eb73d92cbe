import {UsageError} from '../errors/index.js'
import type {Store} from '../store/store.js'
import {formatEstimate} from './estimate.js'
import {loadPlan, savePlan, stepIndex} from './plan-store.js'
import {planFromYaml, planToYaml} from './plan-yaml.js'
import type {Plan} from './schema.js'

const MARK: Record<string, string> = {pending: '○', done: '✓', failed: '✗'}

/** The plan as a reader sees it: header with estimate, one block per step. */
export function renderPlan(plan: Plan): string {
  const lines = [`plan ${plan.id} · ${plan.status} · ${plan.steps.length} steps${plan.estimate ? ` · ${formatEstimate(plan.estimate)}` : ''}`, `task: ${plan.task}`]
  if (plan.branch) lines.push(`branch: ${plan.branch}${plan.base ? ` (from ${plan.base.branch ?? plan.base.commit.slice(0, 7)})` : ''}`)
  if (plan.tokens) lines.push(`tokens so far: ${plan.tokens.input} in / ${plan.tokens.output} out`)
  plan.steps.forEach((s, i) => {
    const approval = s.status === 'pending' && !s.approved ? ' (not approved)' : ''
    lines.push('', `${MARK[s.status] ?? '?'} ${i + 1}. ${s.description}${approval}`)
    lines.push(`     ${s.instruction.split('\n').join('\n     ')}`)
    if (s.annotation) lines.push(`     note: ${s.annotation}`)
    if (s.files.length) lines.push(`     files: ${s.files.join(', ')}`)
    lines.push(`     verify: ${s.verify.type}${'pattern' in s.verify ? ` /${s.verify.pattern}/` : ''}${'command' in s.verify && s.verify.command ? ` \`${s.verify.command}\`` : ''} · budget ${s.tool_budget} calls`)
    if (s.last_error) lines.push(`     last failure: ${s.last_error}`)
  })
  return lines.join('\n')
}

/** Approve one step, or all with n undefined. */
export async function approveSteps(store: Store, n?: number): Promise<Plan> {
  return store.withLock(async () => {
    const {plan, commit} = await loadPlan(store)
    const idx = n === undefined ? plan.steps.map((_, i) => i) : [stepIndex(plan, n)]
    for (const i of idx) plan.steps[i]!.approved = true
    await savePlan(store, plan, n === undefined ? 'approve all steps' : `approve step ${n}`, commit)
    return plan
  })
}

/** Add a user note to a step's instruction (seed: "User note: …"). */
export async function annotateStep(store: Store, n: number, note: string): Promise<Plan> {
  if (!note.trim()) throw new UsageError('the note is empty', 'git pare plan annotate 2 "keep the old name as an alias"')
  return store.withLock(async () => {
    const {plan, commit} = await loadPlan(store)
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
export async function replacePlanYaml(store: Store, text: string): Promise<Plan> {
  return store.withLock(async () => {
    const {plan: old, commit} = await loadPlan(store)
    const edited = planFromYaml(text, 'edited plan')
    if (edited.id !== old.id) throw new UsageError(`the plan id cannot change (was ${old.id}); your edit was not saved`)
    await savePlan(store, edited, 'edit plan', commit)
    return edited
  })
}

export {planToYaml}
