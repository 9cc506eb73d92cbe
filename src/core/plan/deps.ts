import type {Plan, PlanStep} from './schema.js'

// The order steps must keep. A step's `after` (1-based numbers, from the planner or a hand edit) is its whole list;
// without one the order is inferred conservatively: a step waits for every earlier step it shares a file with, and a
// step with no files (it may touch anything) waits for, and is waited for by, every earlier step. An inferred wait that
// would close a loop with the explicit ones is left out (the explicit order wins); a loop among explicit ones is refused.

const norm = (f: string) => f.trim().replace(/^(\.\/)+/, '').replace(/\/+$/, '')

/** Whether two file lists may touch the same file (a folder overlaps the files under it). */
function overlap(a: string[], b: string[]): boolean {
  if (!a.length || !b.length) return true
  return a.some((x) => b.some((y) => {
    const p = norm(x)
    const q = norm(y)
    return p === q || p === '' || q === '' || p === '.' || q === '.' || p.startsWith(`${q}/`) || q.startsWith(`${p}/`)
  }))
}

type StepLike = Pick<PlanStep, 'files'> & {after?: number[]}

// Whether `from` (0-based) reaches `to` by waits in `graph` (graph[i] = 0-based steps i waits for).
function reaches(graph: number[][], from: number, to: number): boolean {
  const seen = new Set<number>()
  const todo = [from]
  while (todo.length) {
    const i = todo.pop()!
    if (i === to) return true
    if (seen.has(i)) continue
    seen.add(i)
    todo.push(...(graph[i] ?? []))
  }
  return false
}

/** The waits of every step (0-based), explicit and inferred; assumes the explicit ones were validated. */
function waitGraph(steps: StepLike[]): number[][] {
  const graph = steps.map((s) => (s.after ? s.after.map((n) => n - 1).filter((j) => j >= 0 && j < steps.length) : []))
  steps.forEach((s, i) => {
    if (s.after) return
    for (let j = 0; j < i; j++) if (overlap(steps[j]!.files, s.files) && !reaches(graph, j, i)) graph[i]!.push(j)
  })
  return graph
}

/** The direct waits of each step: `stepDeps(plan)[i]` lists the 1-based steps step i+1 runs after (implied waits left out). */
export function stepDeps(plan: Pick<Plan, 'steps'>): number[][] {
  const graph = waitGraph(plan.steps)
  return graph.map((deps) => {
    const direct = deps.filter((j) => !deps.some((k) => k !== j && reaches(graph, k, j)))
    return [...new Set(direct)].sort((a, b) => a - b).map((j) => j + 1)
  })
}

/** Steps (1-based, in plan order) that are not done and whose waits are all done: what may run now. */
export function readySteps(plan: Pick<Plan, 'steps'>): number[] {
  const graph = waitGraph(plan.steps)
  return plan.steps.flatMap((s, i) => (s.status !== 'done' && graph[i]!.every((j) => plan.steps[j]!.status === 'done') ? [i + 1] : []))
}

/** Every open step (0-based) in an order that keeps the waits, plan order where free: what `step --all` runs one by one. */
export function runOrder(plan: Pick<Plan, 'steps'>): number[] {
  const graph = waitGraph(plan.steps)
  const placed = new Set(plan.steps.flatMap((s, i) => (s.status === 'done' ? [i] : [])))
  const out: number[] = []
  for (;;) {
    const next = plan.steps.findIndex((_, i) => !placed.has(i) && graph[i]!.every((j) => placed.has(j)))
    if (next < 0) break
    placed.add(next)
    out.push(next)
  }
  return out
}

/**
 * Problems with the steps' `after` lists, one line each naming the step (`steps[1]` is step 2, as in other plan
 * errors): a step that does not exist, a step after itself, a loop of waits.
 */
export function afterErrors(steps: StepLike[]): string[] {
  const errors: string[] = []
  steps.forEach((s, i) => {
    for (const n of s.after ?? []) {
      if (n === i + 1) errors.push(`steps[${i}].after: step ${n} cannot run after itself`)
      else if (n < 1 || n > steps.length) errors.push(`steps[${i}].after: step ${n} does not exist (the plan has steps 1..${steps.length})`)
    }
  })
  if (errors.length) return errors
  const graph = steps.map((s) => (s.after ?? []).map((n) => n - 1))
  // One loop is enough to name: the first step (in plan order) on a loop, and the loop itself.
  const state: number[] = steps.map(() => 0)
  const stack: number[] = []
  const visit = (i: number): number[] | undefined => {
    state[i] = 1
    stack.push(i)
    for (const j of graph[i]!) {
      if (state[j] === 1) return [...stack.slice(stack.indexOf(j)), j]
      if (state[j] === 0) {
        const loop = visit(j)
        if (loop) return loop
      }
    }
    stack.pop()
    state[i] = 2
    return undefined
  }
  for (let i = 0; i < steps.length; i++) {
    if (state[i] !== 0) continue
    const loop = visit(i)
    if (loop) {
      errors.push(`steps[${loop[0]}].after: steps ${loop.map((j) => j + 1).join(' → ')} wait for each other (a cycle); remove one of these waits`)
      break
    }
  }
  return errors
}

/** Parse a raw `after` value: a list of step numbers (duplicates dropped), or a problem. */
export function parseAfter(v: unknown): number[] | string {
  const list = Array.isArray(v) ? v : typeof v === 'number' ? [v] : undefined
  if (!list || !list.every((n) => Number.isInteger(n))) return 'a list of step numbers is required, like [1, 2]'
  return [...new Set(list as number[])].sort((a, b) => a - b)
}

/** Steps in groups that may run side by side (1-based): a step goes in the group after the latest of its waits. */
export function stepWaves(plan: Pick<Plan, 'steps'>): number[][] {
  const graph = waitGraph(plan.steps)
  const level: number[] = []
  const depth = (i: number, seen = new Set<number>()): number => {
    if (level[i] !== undefined) return level[i]!
    if (seen.has(i)) return 0
    seen.add(i)
    level[i] = graph[i]!.length ? Math.max(...graph[i]!.map((j) => depth(j, seen) + 1)) : 0
    return level[i]!
  }
  const waves: number[][] = []
  plan.steps.forEach((_, i) => (waves[depth(i)] ??= []).push(i + 1))
  return waves.filter(Boolean)
}
