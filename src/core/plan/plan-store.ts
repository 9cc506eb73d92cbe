import {RepoStateError, UsageError} from '../errors/index.js'
import type {Store} from '../store/store.js'
import {PLANS} from '../store/plans.js'
import {checkRefId} from '../store/refs.js'
import {neutraliseLine} from '../text/terminal.js'
import {MAX_PLAN_BYTES, parsePlanYaml, planToYaml, type PlanYamlProblem} from './plan-yaml.js'
import type {Plan} from './schema.js'

export interface LoadedPlan {
  plan: Plan
  /** The plan commit read, for compare-and-swap on save. */
  commit: string
}

/** A stored plan that cannot be used: one line naming its ref, with where to look and how to get out. */
export function invalidPlanError(id: string, problem: PlanYamlProblem): RepoStateError {
  const ref = `${PLANS}/${id}`
  return new RepoStateError(
    `${ref}: plan.yaml${problem.line ? `:${problem.line}` : ''} is not a valid plan: ${problem.reason}`,
    `see where it came from with \`git log ${ref}\`; other plans still work, and \`git pare abort\` stops it if it is the active plan`,
    'invalid_plan',
  )
}

/** The active plan (or the one named), or a clear error pointing at `git pare plan`. */
export async function loadPlan(store: Store, id?: string): Promise<LoadedPlan> {
  const planId = id ?? (await store.activePlan())
  if (!planId) throw new UsageError('there is no active plan', 'create one with `git pare plan "task"`', 'no_plan')
  // The size first: a pulled plan.yaml of a gigabyte must not be read into memory to find out it is too big.
  const size = await store.ctx.run(['cat-file', '-s', `${PLANS}/${checkRefId('plan', planId)}:plan.yaml`], {allowFail: true})
  if (size.code === 0 && Number(size.stdout.trim()) > MAX_PLAN_BYTES) throw invalidPlanError(planId, {reason: `it is larger than ${MAX_PLAN_BYTES / 1024} KB`})
  const rec = await store.readPlan(planId)
  if (!rec) throw new UsageError(`no plan "${planId}"`, 'list plans with `git pare log`', 'no_plan')
  const res = parsePlanYaml(rec.yaml)
  if ('problem' in res) throw invalidPlanError(planId, res.problem)
  // The ref names the plan: a plan.yaml claiming another id would have its saves (and approvals) land on that plan.
  if (res.plan.id !== planId) throw invalidPlanError(planId, {reason: `it says its id is "${neutraliseLine(res.plan.id)}"`})
  return {plan: res.plan, commit: rec.commit}
}

/** Save a new version of the plan as a commit on refs/parecode/plans/<id>; fails if someone else saved meanwhile. */
export async function savePlan(store: Store, plan: Plan, message: string, expect: string | null): Promise<string> {
  try {
    return await store.writePlan(plan.id, planToYaml(plan), message, expect)
  } catch (err) {
    if (err instanceof RepoStateError) throw err
    throw new RepoStateError(`plan ${plan.id} changed while this command ran`, 'run the command again', 'plan_race')
  }
}

/** 1-based step number from user input, or a usage error listing the valid range. */
export function stepIndex(plan: Plan, n: number | string): number {
  const i = Number(n)
  if (!Number.isInteger(i) || i < 1 || i > plan.steps.length) throw new UsageError(`step ${n} does not exist: plan ${plan.id} has steps 1..${plan.steps.length}`)
  return i - 1
}
