import {parseDocument, stringify} from 'yaml'
import {UsageError} from '../errors/index.js'
import {validatePlanInput, type Plan, type PlanStatus} from './schema.js'

const STATUSES: PlanStatus[] = ['draft', 'running', 'paused', 'done', 'finished', 'aborted']

/** The plan as the YAML stored in plan.yaml (stable key order, readable in an editor). */
export function planToYaml(plan: Plan): string {
  return stringify(plan, {lineWidth: 0})
}

/** Parse plan.yaml; an invalid file is a UsageError naming the line or the field. */
export function planFromYaml(text: string, source = 'plan.yaml'): Plan {
  const doc = parseDocument(text, {prettyErrors: true})
  if (doc.errors.length) {
    const e = doc.errors[0]!
    const line = e.linePos?.[0]?.line
    throw new UsageError(`${source}${line ? `:${line}` : ''}: invalid YAML: ${e.message.split('\n')[0]}`, 'fix the YAML and try again')
  }
  const obj = doc.toJS() as Record<string, unknown> | null
  if (!obj || typeof obj !== 'object') throw new UsageError(`${source}: expected a plan object with task and steps`)
  const v = validatePlanInput(obj)
  if (!v.ok) throw new UsageError(`${source}: ${v.errors[0]}${v.errors.length > 1 ? ` (and ${v.errors.length - 1} more)` : ''}`, 'fix the plan and try again')
  if (typeof obj.id !== 'string' || !obj.id) throw new UsageError(`${source}: id is missing`)
  const status = STATUSES.includes(obj.status as PlanStatus) ? (obj.status as PlanStatus) : 'draft'
  const plan: Plan = {
    id: obj.id,
    task: v.task,
    status,
    created_at: String(obj.created_at ?? ''),
    steps: v.steps,
  }
  for (const k of ['base', 'branch', 'model', 'planner_model', 'estimate', 'tokens'] as const) {
    if (obj[k] !== undefined && obj[k] !== null) (plan as unknown as Record<string, unknown>)[k] = obj[k]
  }
  return plan
}
