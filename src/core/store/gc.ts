import type {StoreContext} from './context.js'
import {parseTrailers, readCommits} from './objects.js'
import {listRefs, updateRefs, type RefChange, type RefEntry} from './refs.js'
import {PLANS} from './plans.js'
import {SESSIONS} from './sessions.js'

export interface GcResult {
  /** Refs deleted. */
  deleted: string[]
  /** Refs past the retention count kept because a plan or session still names them. */
  protected: string[]
  kept: number
}

// Newest first within a series: numbered refs by number, archives by their time stamp.
const order = (a: RefEntry, b: RefEntry) => b.ref.localeCompare(a.ref, 'en', {numeric: true})

/**
 * Keep the newest `keep` refs of each series (snapshots, checkpoints, archived redo entries, archived
 * turns of each session) and delete the rest, except checkpoints/snapshots whose trailers name a
 * plan or session that still exists. Objects go with git's own gc later; deletion is compare-and-swap.
 */
export async function gcRefs(ctx: StoreContext, keep: number): Promise<GcResult> {
  const [plans, sessions, snaps, cps, redo, archived, afters] = await Promise.all([
    listRefs(ctx, PLANS),
    listRefs(ctx, SESSIONS),
    listRefs(ctx, `${ctx.base}/snapshots`),
    listRefs(ctx, `${ctx.base}/checkpoints`),
    listRefs(ctx, `${ctx.base}/archive/redo`),
    listRefs(ctx, 'refs/parecode/archive/sessions'),
    listRefs(ctx, `${ctx.base}/after`),
  ])
  const planIds = new Set(plans.map((r) => r.ref.slice(PLANS.length + 1)))
  const sessionIds = new Set(sessions.map((r) => r.ref.slice(SESSIONS.length + 1)))
  const direct = (refs: RefEntry[], prefix: string) => refs.filter((r) => !r.ref.slice(prefix.length + 1).includes('/'))
  const bySession = new Map<string, RefEntry[]>()
  for (const r of archived) {
    const id = r.ref.split('/').slice(-2, -1)[0]!
    bySession.set(id, [...(bySession.get(id) ?? []), r])
  }
  const series = [direct(snaps, `${ctx.base}/snapshots`), direct(cps, `${ctx.base}/checkpoints`), direct(afters, `${ctx.base}/after`), redo, ...bySession.values()]
  const candidates = series.flatMap((s) => [...s].sort(order).slice(keep))
  const commits = await readCommits(ctx, candidates.map((c) => c.oid))
  const deleted: string[] = []
  const prot: string[] = []
  const changes: RefChange[] = []
  candidates.forEach((c, i) => {
    const t = parseTrailers(commits[i]?.message ?? '')
    const plan = t['Pare-Plan'] ?? t['Pare-Plan-Id']
    const session = t['Pare-Session'] ?? t['Pare-Session-Id']
    const needed = (plan && planIds.has(plan)) || (session && sessionIds.has(session) && !c.ref.includes('/archive/'))
    if (needed) prot.push(c.ref)
    else {
      deleted.push(c.ref)
      changes.push({ref: c.ref, new: null, old: c.oid})
    }
  })
  await updateRefs(ctx, changes, 'git-pare: gc')
  const total = series.reduce((n, s) => n + s.length, 0)
  return {deleted, protected: prot, kept: total - deleted.length}
}
