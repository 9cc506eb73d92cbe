import {stringify} from 'yaml'
import {UsageError} from '../errors/index.js'
import {parseYamlSafely} from '../store/safe-yaml.js'
import {neutraliseLine} from '../text/terminal.js'
import {scratchBranch} from './scratch-branch.js'
import {tokenPair, validatePlanInput, type Plan, type PlanStatus} from './schema.js'

const STATUSES: PlanStatus[] = ['draft', 'running', 'paused', 'done', 'finished', 'aborted']

/** Largest plan.yaml accepted (a 20-step plan is a few KB). */
export const MAX_PLAN_BYTES = 256 * 1024

/** The plan as the YAML stored in plan.yaml (stable key order, readable in an editor). */
export function planToYaml(plan: Plan): string {
  return stringify(plan, {lineWidth: 0, aliasDuplicateObjects: false})
}

/** Why a plan text is not a valid plan (one line), and the line when the YAML itself is broken. */
export interface PlanYamlProblem {
  reason: string
  line?: number
}

const BRANCH = /^(?!-)(?!.*\.\.)(?!.*\/\/)[A-Za-z0-9._/-]{1,200}$/
const OID = /^[0-9a-f]{40}([0-9a-f]{24})?$/

function checkBase(v: unknown): Plan['base'] | string {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return 'base must be {branch, commit}'
  const o = v as Record<string, unknown>
  if (!(o.branch === null || (typeof o.branch === 'string' && BRANCH.test(o.branch) && !o.branch.endsWith('.lock') && !o.branch.endsWith('/')))) return 'base.branch is not a branch name'
  if (typeof o.commit !== 'string' || !OID.test(o.commit)) return 'base.commit is not a commit id'
  return {branch: o.branch as string | null, commit: o.commit}
}

function checkEstimate(v: unknown): Plan['estimate'] | string {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return 'estimate must be an object'
  const o = v as Record<string, unknown>
  const out: Record<string, number> = {}
  for (const k of ['tokens_low', 'tokens_high', 'usd_low', 'usd_high']) {
    if (o[k] === undefined) continue
    if (typeof o[k] !== 'number' || !Number.isFinite(o[k])) return `estimate.${k} must be a number`
    out[k] = o[k]
  }
  if (out.tokens_low === undefined || out.tokens_high === undefined) return 'estimate needs tokens_low and tokens_high'
  return out as Plan['estimate']
}

/** Parse and validate a plan text without throwing: the plan, or why it is not one. */
export function parsePlanYaml(text: string): {plan: Plan} | {problem: PlanYamlProblem} {
  const fail = (reason: string, line?: number) => ({problem: {reason: neutraliseLine(reason).slice(0, 300), ...(line ? {line} : {})}})
  const parsed = parseYamlSafely(text, MAX_PLAN_BYTES)
  if (!parsed.ok) return fail(parsed.reason, parsed.line)
  const obj = parsed.value
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) return fail('expected a plan object with task and steps')
  const o = obj as Record<string, unknown>
  const v = validatePlanInput(o)
  if (!v.ok) return fail(`${v.errors[0]}${v.errors.length > 1 ? ` (and ${v.errors.length - 1} more)` : ''}`)
  if (typeof o.id !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(o.id) || o.id.includes('..')) return fail('id is missing or not a valid plan id')
  const status = STATUSES.includes(o.status as PlanStatus) ? (o.status as PlanStatus) : 'draft'
  const plan: Plan = {id: o.id, task: v.task, status, created_at: typeof o.created_at === 'string' ? o.created_at : String(o.created_at ?? ''), steps: v.steps}
  // Only the plan's own scratch branch: a pulled plan must not point the runner (or undo, which moves it) at `main`.
  if (o.branch !== undefined && o.branch !== null) {
    if (o.branch !== scratchBranch(o.id)) return fail(`branch must be ${scratchBranch(o.id)}`)
    plan.branch = o.branch
  }
  if (o.base !== undefined && o.base !== null) {
    const base = checkBase(o.base)
    if (typeof base === 'string') return fail(base)
    plan.base = base
  }
  for (const k of ['model', 'planner_model'] as const) {
    if (o[k] === undefined || o[k] === null) continue
    if (typeof o[k] !== 'string' || o[k].length > 200) return fail(`${k} must be a model name`)
    plan[k] = o[k]
  }
  if (o.estimate !== undefined && o.estimate !== null) {
    const e = checkEstimate(o.estimate)
    if (typeof e === 'string') return fail(e)
    plan.estimate = e
  }
  if (o.tokens !== undefined && o.tokens !== null) {
    const t = tokenPair(o.tokens)
    if (!t) return fail('tokens must be {input, output} counts')
    plan.tokens = t
  }
  return {plan}
}

/** Parse plan.yaml; an invalid file is a UsageError naming the line or the field. */
export function planFromYaml(text: string, source = 'plan.yaml'): Plan {
  const res = parsePlanYaml(text)
  if ('plan' in res) return res.plan
  const {reason, line} = res.problem
  throw new UsageError(`${source}${line ? `:${line}` : ''}: ${reason}`, /invalid YAML/.test(reason) ? 'fix the YAML and try again' : 'fix the plan and try again', 'invalid_plan')
}
