import {claimLive} from '../plan/claims.js'
import type {LogEntry} from '../store/log.js'
import type {Store} from '../store/store.js'
import {trackedClaims} from './remote.js'

/** A live claim as `plan show` and `log` show it: who holds the step, from where, until when. */
export interface ShownClaim {
  by: string
  host: string
  until: string
  remote: string
}

/** Live claims of a plan's steps as last fetched (`git pare pull` or `git pare work`), by step number. */
export async function stepClaims(store: Store, planId: string): Promise<Map<number, ShownClaim>> {
  const now = store.ctx.now()
  const out = new Map<number, ShownClaim>()
  for (const [n, {remote, claim}] of await trackedClaims(store, planId)) {
    if (claimLive(claim, now)) out.set(n, {by: claim.by, host: claim.host, until: claim.expires_at, remote})
  }
  return out
}

/** Add each pending step's live claim to the plan entries of a log. */
export async function addClaims(store: Store, entries: LogEntry[]): Promise<void> {
  for (const e of entries) {
    if (e.kind !== 'plan' || !e.steps?.some((s) => s.status === 'pending')) continue
    const claims = await stepClaims(store, e.id).catch(() => new Map<number, ShownClaim>())
    for (const s of e.steps) {
      const c = claims.get(s.n)
      if (c && s.status === 'pending') s.claim = c
    }
  }
}
