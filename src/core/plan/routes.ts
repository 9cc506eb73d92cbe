import type {PlanStep, Route} from './schema.js'

export interface ModelRoutes {
  quick?: string
  standard?: string
  deep?: string
}

/**
 * Deterministic routing (seed 7a): small, single-file steps with a cheap check go to `quick`;
 * many files, a large budget or a build to satisfy go to `deep`; everything else is `standard`.
 * A route the planner or user set on the step wins.
 */
export function routeFor(step: PlanStep): Route {
  if (step.route) return step.route
  const v = step.verify.type
  if (step.files.length >= 4 || step.tool_budget > 15 || (v === 'build_success' && step.files.length >= 2)) return 'deep'
  if (step.files.length <= 1 && step.tool_budget <= 5 && (v === 'none' || v === 'file_changed' || v === 'pattern_absent')) return 'quick'
  return 'standard'
}

/** The model for a step: its route's model when the profile has one, else the default model. */
export function modelFor(step: PlanStep, routes: ModelRoutes | undefined, fallback: string): {route: Route; model: string} {
  const route = routeFor(step)
  return {route, model: routes?.[route] ?? fallback}
}
