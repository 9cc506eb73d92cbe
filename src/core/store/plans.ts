import {RepoStateError} from '../errors/index.js'
import type {StoreContext} from './context.js'
import {formatMessage, readCommits, readObjects, writeBlob, writeCommit, writeTree} from './objects.js'
import {checkRefId, listRefs, readRef, readSymbolic, updateRef} from './refs.js'
import {redact, redactYaml} from '../secrets/index.js'

export const PLANS = 'refs/parecode/plans'
export const ACTIVE = 'refs/parecode/active'

export interface PlanRecord {
  id: string
  yaml: string
  commit: string
}

export interface PlanListing {
  id: string
  commit: string
  time: Date
  subject: string
}

const planRef = (id: string) => `${PLANS}/${checkRefId('plan', id)}`

/** The plan's current plan.yaml and the commit holding it, or null. */
export async function readPlan(ctx: StoreContext, id: string): Promise<PlanRecord | null> {
  const ref = planRef(id)
  const [commit, blob] = await readObjects(ctx, [ref, `${ref}:plan.yaml`])
  if (!commit || commit.type !== 'commit') return null
  return {id, yaml: blob?.content.toString('utf8') ?? '', commit: commit.oid}
}

/**
 * Append a commit holding `yaml` to the plan's chain. The ref moves by compare-and-swap against
 * `expect` (default: the value read just now), so a concurrent writer is detected, never overwritten.
 * Plan refs are pushed: secrets in the text and the message are redacted before anything is written.
 */
export async function writePlan(ctx: StoreContext, id: string, yaml: string, message: string, expect?: string | null, trailers: Record<string, string | number> = {}): Promise<string> {
  const ref = planRef(id)
  const prev = expect === undefined ? await readRef(ctx, ref) : expect
  const commit = await writePlanCommit(ctx, id, yaml, message, prev, trailers)
  await updateRef(ctx, ref, commit, prev, `git-pare: plan ${id}`)
  return commit
}

/** The commit `writePlan` appends (redacted the same way), without moving any ref: a worker pushes it to a remote. */
export async function writePlanCommit(ctx: StoreContext, id: string, yaml: string, message: string, parent: string | null, trailers: Record<string, string | number> = {}): Promise<string> {
  const [text, msg] = await Promise.all([
    redactYaml(yaml, 'plan.yaml'),
    redact(formatMessage(message, {'Pare-Kind': 'plan', 'Pare-Plan': id, ...trailers}), 'message'),
  ])
  const blob = await writeBlob(ctx, text.text)
  const tree = await writeTree(ctx, [{mode: '100644', type: 'blob', oid: blob, name: 'plan.yaml'}])
  return writeCommit(ctx, tree, parent ? [parent] : [], msg.text)
}

/** Every plan, newest change first. */
export async function listPlans(ctx: StoreContext): Promise<PlanListing[]> {
  const refs = await listRefs(ctx, PLANS)
  const commits = await readCommits(ctx, refs.map((r) => r.oid))
  const out = refs.flatMap((r, i) => {
    const c = commits[i]
    return c ? [{id: r.ref.slice(PLANS.length + 1), commit: c.oid, time: c.time, subject: c.message.split('\n')[0] ?? ''}] : []
  })
  return out.sort((a, b) => b.time.getTime() - a.time.getTime())
}

/** Id of the active plan (refs/parecode/active is a symbolic ref to it), or null. */
export async function activePlan(ctx: StoreContext): Promise<string | null> {
  const target = await readSymbolic(ctx, ACTIVE)
  return target?.startsWith(`${PLANS}/`) ? target.slice(PLANS.length + 1) : null
}

/** Point refs/parecode/active at a plan, or clear it with null. */
export async function setActivePlan(ctx: StoreContext, id: string | null): Promise<void> {
  if (id === null) {
    await ctx.run(['symbolic-ref', '-d', ACTIVE], {allowFail: true})
    return
  }
  const ref = planRef(id)
  if (!(await readRef(ctx, ref))) throw new RepoStateError(`no plan "${id}"`, 'see `git pare log` for plans', 'no_plan')
  await ctx.run(['symbolic-ref', '-m', 'git-pare: active plan', ACTIVE, ref])
}
