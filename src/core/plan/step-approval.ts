import {UsageError} from '../errors/index.js'
import {contentHash, repoDataScope, type ApprovalItem, type ApprovalStore} from '../trust/approvals.js'
import type {Plan, PlanStep} from './schema.js'

// Step approval lives in the user's approval store, keyed to the step's content: plan.yaml travels through push and
// pull, so its `approved` flag is display data a teammate (or anyone with push access) can flip. Each part that decides
// what a step does is hashed on its own as well, so a refusal can say which part changed since the user approved it.

/** Where a step stands with the user of this machine. */
export interface StepApprovalState {
  state: 'approved' | 'unapproved' | 'changed'
  /** For `changed`: what differs from the approved content ("its check", "its instruction", …). */
  changed: string[]
  /** plan.yaml claims the step is approved, but it is not approved here (pulled, or approved elsewhere). */
  foreign: boolean
}

type Part = [name: string, label: string, pick: (s: PlanStep, plan: Plan) => unknown]

// Everything the step runner reads from a step (and the plan's task, which is in every step's prompt).
// Status, summaries, commits and token counts are bookkeeping the runner writes itself; they are not here.
const PARTS: Part[] = [
  ['check', 'its check', (s) => s.verify],
  ['instruction', 'its instruction', (s) => ({instruction: s.instruction, annotation: s.annotation ?? null})],
  ['description', 'its description', (s) => s.description],
  ['files', 'its files', (s) => s.files],
  ['budget', 'its tool budget or route', (s) => ({tool_budget: s.tool_budget, route: s.route ?? null})],
  ['task', "the plan's task", (_s, plan) => plan.task],
]

/** JSON with object keys sorted at every level: one text per value, whatever order YAML gave the keys in. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map((x) => canonicalJson(x === undefined ? null : x)).join(',')}]`
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>
    const keys = Object.keys(o).filter((k) => o[k] !== undefined).sort()
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`
  }
  return JSON.stringify(v ?? null)
}

const stepKey = (planId: string, n: number) => `step:${planId}/${n}`

/** The canonical text of everything that decides what step `i` does (what an approval is bound to). */
export function stepContent(plan: Plan, i: number): string {
  const s = plan.steps[i]!
  return canonicalJson({plan: plan.id, step: i + 1, ...Object.fromEntries(PARTS.map(([name, , pick]) => [name, pick(s, plan)]))})
}

/** The approval items of step `i`: the whole content, and each part on its own (to say what changed). */
export function stepApprovalItems(plan: Plan, i: number): ApprovalItem[] {
  const key = stepKey(plan.id, i + 1)
  const s = plan.steps[i]!
  return [{key, content: stepContent(plan, i)}, ...PARTS.map(([name, , pick]) => ({key: `${key}#${name}`, content: canonicalJson(pick(s, plan))}))]
}

/** Each step's approval state, from one read of the user's approval store. */
export async function readStepApprovals(approvals: ApprovalStore, commonDir: string, plan: Plan): Promise<StepApprovalState[]> {
  const have = new Map((await approvals.list(repoDataScope(commonDir))).map((e) => [e.key, e.sha256]))
  return plan.steps.map((s, i) => {
    const [whole, ...parts] = stepApprovalItems(plan, i)
    const approved = have.get(whole!.key)
    if (approved === contentHash(whole!.content)) return {state: 'approved', changed: [], foreign: false}
    if (approved === undefined) return {state: 'unapproved', changed: [], foreign: s.approved}
    const changed = parts.flatMap((p, k) => (have.get(p.key) === contentHash(p.content) ? [] : [PARTS[k]![1]]))
    return {state: 'changed', changed: changed.length ? changed : ['its content'], foreign: false}
  })
}

/** Record the current content of these steps (0-based) as approved by this user. */
export async function approveStepContent(approvals: ApprovalStore, commonDir: string, plan: Plan, indices: number[]): Promise<void> {
  await approvals.approve(repoDataScope(commonDir), indices.flatMap((i) => stepApprovalItems(plan, i)))
}

/** One phrase for a step that may not run: "step 2 is not approved here", "step 1 changed since you approved it (its check)". */
export function describeApproval(n: number, a: StepApprovalState): string {
  return a.state === 'changed' ? `step ${n} changed since you approved it (${a.changed.join(', ')})` : `step ${n} is not approved here`
}

/**
 * Refuse to run, before anything moves, when the first step to run is not approved here with its current content.
 * Without an explicit step number (`git pare step`, `--all`), any open step showing a change behind the user's back
 * (changed since approved, or marked approved in plan.yaml without an approval here) refuses the run too: the plan was
 * tampered with or edited, and the user should look first. With `step N` only step N decides; the others are named in
 * the returned notes.
 */
export function assertRunnable(plan: Plan, states: StepApprovalState[], picked: number[], explicit: boolean): string[] {
  const open = plan.steps.flatMap((s, i) => (s.status === 'done' ? [] : [i]))
  const suspicious = open.filter((i) => states[i]!.state === 'changed' || states[i]!.foreign)
  const first = picked[0]
  const firstBad = first !== undefined && states[first]!.state !== 'approved'
  const others = suspicious.filter((i) => i !== first)
  if (!firstBad && (explicit || !others.length)) return others.map((i) => `${describeApproval(i + 1, states[i]!)}; it will not run until you approve it again`)
  const refused = [...new Set([...(firstBad ? [first] : []), ...suspicious])].sort((a, b) => a - b)
  const head = refused[0]! + 1
  const more = refused.length > 1 ? ` (and ${refused.slice(1).map((i) => i + 1).join(', ')}, or --all once you have read them)` : ''
  throw new UsageError(
    `${refused.map((i) => describeApproval(i + 1, states[i]!)).join('; ')}; nothing was run`,
    `review with \`git pare plan show\`, then \`git pare plan approve ${head}\`${more}`,
    'not_approved',
  )
}
