import {RepoStateError, UsageError} from '../errors/index.js'
import type {Store} from '../store/store.js'
import {planFromYaml, planToYaml} from './plan-yaml.js'
import type {Plan} from './schema.js'

export interface LoadedPlan {
  plan: Plan
  /** The plan commit read, for compare-and-swap on save. */
  commit: string
}

/** The active plan (or the one named), or a clear error pointing at `git pare plan`. */
export async function loadPlan(store: Store, id?: string): Promise<LoadedPlan> {
  const planId = id ?? (await store.activePlan())
  if (!planId) throw new UsageError('there is no active plan', 'create one with `git pare plan "task"`', 'no_plan')
  const rec = await store.readPlan(planId)
  if (!rec) throw new UsageError(`no plan "${planId}"`, 'list plans with `git pare log`', 'no_plan')
  return {plan: planFromYaml(rec.yaml, `plan ${planId}`), commit: rec.commit}
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
