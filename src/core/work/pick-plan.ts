import {UsageError} from '../errors/index.js'
import type {Store} from '../store/store.js'
import {checkRefId} from '../store/refs.js'
import {remotePlanIds} from './remote.js'

/** The duration forms --lease takes: 90s, 10m, 1h, 1500ms. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim())
  const unit = {ms: 1, s: 1000, m: 60_000, h: 3600_000}
  const ms = m ? Math.round(Number(m[1]) * unit[(m[2] ?? 's') as keyof typeof unit]) : NaN
  if (!Number.isFinite(ms) || ms < 1000 || ms > 24 * 3600_000) throw new UsageError(`invalid duration "${text}"`, 'give one from 1s to 24h, like 90s, 10m or 1h', 'invalid_duration')
  return ms
}

/** `--trust-plan <id>` or `<id>@<hash>`: the plan delegated, and the content hash it must still have. */
export function parseTrustPlan(v: string): {id: string; hash?: string} {
  const [id, hash, ...rest] = v.split('@')
  if (rest.length || (hash !== undefined && !/^[0-9a-f]{12}$/.test(hash))) throw new UsageError(`invalid --trust-plan "${v}"`, 'give a plan id, optionally with the content hash shown for it: <id>@<12 hex digits>', 'invalid_trust')
  return {id: checkRefId('plan', id!), ...(hash ? {hash} : {})}
}

/**
 * Which plan `git pare work` takes: the one named, else the delegated one, else the active plan, else the only plan on
 * the remote. Several plans and none named is a usage error listing them.
 */
export async function pickWorkPlan(store: Store, remote: string, named?: string, trusted?: string): Promise<string> {
  if (named && trusted && named !== trusted) throw new UsageError(`--plan ${named} and --trust-plan ${trusted} name different plans`, 'delegate the plan you work on', 'invalid_trust')
  const id = named ?? trusted ?? (await store.activePlan())
  if (id) return checkRefId('plan', id)
  const ids = await remotePlanIds(store, remote)
  if (ids.length === 1) return ids[0]!
  if (!ids.length) throw new UsageError(`${remote} has no plans`, 'make one with `git pare plan "task"` and share it with `git pare push`', 'no_plan')
  throw new UsageError(`${remote} has ${ids.length} plans; say which to work on`, `git pare work --plan <id> (one of: ${ids.slice(0, 5).join(', ')}${ids.length > 5 ? ', …' : ''})`, 'no_plan')
}
