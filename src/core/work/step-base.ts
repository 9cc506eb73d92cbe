import {RepoStateError} from '../errors/index.js'
import {stepDeps} from '../plan/deps.js'
import {mergeStepBranches, type IntegrationConflict} from '../plan/integrate.js'
import type {Plan} from '../plan/schema.js'
import type {Store} from '../store/store.js'

/**
 * Done steps (1-based) in an order that keeps the waits (plan order where free): `only` limits it to those steps and
 * everything they wait for, directly or not.
 */
export function doneInOrder(plan: Plan, only?: number[]): number[] {
  const deps = stepDeps(plan)
  const wanted = new Set<number>()
  const add = (n: number) => {
    if (wanted.has(n)) return
    wanted.add(n)
    for (const d of deps[n - 1] ?? []) add(d)
  }
  if (only) for (const n of only) for (const d of deps[n - 1] ?? []) add(d)
  else plan.steps.forEach((_, i) => wanted.add(i + 1))
  const done = [...wanted].filter((n) => plan.steps[n - 1]?.status === 'done')
  const out: number[] = []
  const placed = new Set<number>()
  while (out.length < done.length) {
    const next = done.filter((n) => !placed.has(n)).sort((a, b) => a - b).find((n) => (deps[n - 1] ?? []).every((d) => placed.has(d) || !done.includes(d)))
    if (next === undefined) break
    placed.add(next)
    out.push(next)
  }
  return out
}

/** Make sure these commits are here: fetch the ones missing from `remote` by id. */
export async function ensureCommits(store: Store, remote: string | undefined, oids: string[]): Promise<void> {
  const missing: string[] = []
  for (const o of oids) if (!(await store.revParse(`${o}^{commit}`))) missing.push(o)
  if (!missing.length) return
  if (remote) await store.ctx.run(['fetch', '--no-tags', '--no-write-fetch-head', '--quiet', '--', remote, ...missing], {allowFail: true})
  for (const o of missing) {
    if (!(await store.revParse(`${o}^{commit}`))) throw new RepoStateError(`commit ${o.slice(0, 12)} of the plan is not in this clone`, remote ? `it is not on ${remote} either; was a step branch deleted?` : 'fetch it with `git pare pull`', 'missing_commit')
  }
}

/**
 * Where step n starts: the plan's base with the commits of every done step it waits for (directly or not) applied
 * on top, in order; or the files that conflict when they do not combine. A dead worker's partial work is never part
 * of it: only done steps' recorded commits are.
 */
export async function stepBase(store: Store, remote: string | undefined, plan: Plan, n: number): Promise<{commit: string} | IntegrationConflict> {
  if (!plan.base) throw new RepoStateError(`plan ${plan.id} has not started`, 'run `git pare work` to start it', 'not_started')
  const commits = doneInOrder(plan, [n]).flatMap((d) => (plan.steps[d - 1]!.commit ? [plan.steps[d - 1]!.commit!] : []))
  await ensureCommits(store, remote, [plan.base.commit, ...commits])
  return commits.length ? mergeStepBranches(store, plan.base.commit, commits) : {commit: plan.base.commit}
}
