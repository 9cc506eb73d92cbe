import {parseTrailers} from './objects.js'
import type {Store} from './store.js'
import {parseYamlSafely} from './safe-yaml.js'

const PLAN_YAML_MAX_BYTES = 256 * 1024

export interface StepMark {
  id: string
  step: number
  status: string
}

/**
 * Undo inside a plan: when a checkpoint belongs to a plan step (`plan` and 1-based `step` in its
 * metadata), mark that step pending in plan.yaml, recording its old status in the commit
 * (`Pare-Step-Was`) so redo can put it back; a plan that was done becomes paused. The YAML is edited in place, so fields other layers own
 * are kept. Null when the checkpoint is not a plan step or the plan is gone.
 */
export async function markStepPending(store: Store, meta: Record<string, string>): Promise<StepMark | null> {
  const step = Number(meta.step)
  if (!meta.plan || !Number.isInteger(step) || step < 1) return null
  const plan = await store.readPlan(meta.plan)
  if (!plan) return null
  // The plan may have come from another clone: the guarded parse first (size, aliases, nesting).
  if (!parseYamlSafely(plan.yaml, PLAN_YAML_MAX_BYTES).ok) return null
  const {parseDocument} = await import('yaml')
  const doc = parseDocument(plan.yaml)
  if (doc.errors.length || !doc.hasIn(['steps', step - 1])) return null
  const was = String(doc.getIn(['steps', step - 1, 'status']) ?? 'pending')
  doc.setIn(['steps', step - 1, 'status'], 'pending')
  // A finished plan with a pending step again is paused until that step runs (redo restores the status).
  const planWas = String(doc.get('status') ?? '')
  if (planWas === 'done') doc.set('status', 'paused')
  const trailers = {'Pare-Step': step, 'Pare-Step-Was': was, ...(planWas === 'done' ? {'Pare-Plan-Status-Was': planWas} : {})}
  await store.writePlan(meta.plan, doc.toString({lineWidth: 0}), `undo step ${step}`, plan.commit, trailers)
  return {id: meta.plan, step, status: 'pending'}
}

/** Redo inside a plan: give the step back the status it had before the undo (if the plan's last change was that undo). */
export async function restoreStepStatus(store: Store, meta: Record<string, string>): Promise<StepMark | null> {
  const step = Number(meta.step)
  if (!meta.plan || !Number.isInteger(step) || step < 1) return null
  const plan = await store.readPlan(meta.plan)
  if (!plan) return null
  const [commit] = await store.readObjects([plan.commit])
  const t = parseTrailers(commit?.content.toString('utf8').split('\n\n').slice(1).join('\n\n') ?? '')
  if (t['Pare-Step'] !== String(step) || !t['Pare-Step-Was']) return null
  // The plan may have come from another clone: the guarded parse first (size, aliases, nesting).
  if (!parseYamlSafely(plan.yaml, PLAN_YAML_MAX_BYTES).ok) return null
  const {parseDocument} = await import('yaml')
  const doc = parseDocument(plan.yaml)
  if (doc.errors.length || !doc.hasIn(['steps', step - 1])) return null
  doc.setIn(['steps', step - 1, 'status'], t['Pare-Step-Was'])
  if (t['Pare-Plan-Status-Was']) doc.set('status', t['Pare-Plan-Status-Was'])
  await store.writePlan(meta.plan, doc.toString({lineWidth: 0}), `redo step ${step}`, plan.commit)
  return {id: meta.plan, step, status: t['Pare-Step-Was']}
}
