import type {Store} from '../store/store.js'
import {checkRefId} from '../store/refs.js'

// A claim says "this worker is running step n of this plan until <expiry>". It lives on the shared remote as
// refs/parecode/claims/<plan>/<n>, a commit whose tree holds claim.json; it moves only by compare-and-swap pushes
// (src/core/work/remote.ts), so exactly one worker holds a step at a time. Claims are pulled data: anyone with push
// access can write one, so every field is checked, capped and shown only through neutralise.

export const CLAIMS = 'refs/parecode/claims'

/** Who holds a step, from where, and until when. */
export interface Claim {
  plan: string
  step: number
  /** This worker process (random per `git pare work` run): a renewal or release names its own claim. */
  holder: string
  /** The user behind it (their git identity). */
  by: string
  host: string
  pid: number
  started_at: string
  expires_at: string
}

/** The longest lease honoured: a claim promising more (a hostile or broken one) counts as expired. */
export const MAX_LEASE_MS = 24 * 3600_000
const MAX_CLAIM_BYTES = 4096

/** refs/parecode/claims/<plan>/<n>. */
export const claimRef = (plan: string, n: number): string => `${CLAIMS}/${checkRefId('plan', plan)}/${n}`

/** The claim's file: one JSON object, keys in a fixed order. */
export function encodeClaim(c: Claim): string {
  const {plan, step, holder, by, host, pid, started_at, expires_at} = c
  return `${JSON.stringify({plan, step, holder, by, host, pid, started_at, expires_at}, null, 1)}\n`
}

const text = (v: unknown, max = 200): v is string => typeof v === 'string' && v.length > 0 && v.length <= max
const time = (v: unknown): v is string => text(v, 40) && Number.isFinite(Date.parse(v))

/** A claim read from a remote, or why it is not one (it then counts as expired: it can be taken over). */
export function parseClaim(raw: string, plan: string, n: number): Claim | {invalid: string} {
  if (raw.length > MAX_CLAIM_BYTES) return {invalid: 'claim.json is too large'}
  let o: Record<string, unknown>
  try {
    const v = JSON.parse(raw) as unknown
    if (!v || typeof v !== 'object' || Array.isArray(v)) return {invalid: 'claim.json is not an object'}
    o = v as Record<string, unknown>
  } catch {
    return {invalid: 'claim.json is not JSON'}
  }
  if (o.plan !== plan || o.step !== n) return {invalid: `claim.json names another step`}
  if (!text(o.holder, 100) || !text(o.by) || !text(o.host)) return {invalid: 'claim.json lacks its holder, user or host'}
  if (!Number.isInteger(o.pid) || (o.pid as number) < 0) return {invalid: 'claim.json has no pid'}
  if (!time(o.started_at) || !time(o.expires_at)) return {invalid: 'claim.json has no start or expiry time'}
  return {plan, step: n, holder: o.holder, by: o.by, host: o.host, pid: o.pid as number, started_at: o.started_at, expires_at: o.expires_at}
}

/** Whether a claim still holds at `now`: not expired, and not promising a lease longer than MAX_LEASE_MS. */
export function claimLive(c: Claim | {invalid: string} | null | undefined, now: Date): boolean {
  if (!c || 'invalid' in c) return false
  const start = Date.parse(c.started_at)
  const end = Date.parse(c.expires_at)
  return end > now.getTime() && end - Math.min(start, now.getTime()) <= MAX_LEASE_MS
}

/**
 * Write a claim commit (not yet on any ref). Its parent is the claim it renews or takes over, so every move of a
 * claim ref except its deletion is a fast-forward (a remote refusing forced updates still takes claims).
 */
export async function writeClaimCommit(store: Store, c: Claim, parent: string | null): Promise<string> {
  const blob = await store.writeBlob(encodeClaim(c))
  const tree = await store.writeTree([{mode: '100644', type: 'blob', oid: blob, name: 'claim.json'}])
  const verb = parent ? 'renew' : 'claim'
  return store.writeCommit(tree, parent ? [parent] : [], `${verb} step ${c.step} of plan ${c.plan}\n\nPare-Kind: claim\nPare-Plan: ${c.plan}\nPare-Step: ${c.step}\n`)
}

/** Read the claim a commit holds (null when the commit or its claim.json is missing). */
export async function readClaimCommit(store: Store, oid: string, plan: string, n: number): Promise<Claim | {invalid: string} | null> {
  const size = await store.ctx.run(['cat-file', '-s', `${oid}:claim.json`], {allowFail: true})
  if (size.code !== 0) return null
  if (Number(size.stdout.trim()) > MAX_CLAIM_BYTES) return {invalid: 'claim.json is too large'}
  const raw = await store.readText(`${oid}:claim.json`)
  return raw === null ? null : parseClaim(raw, plan, n)
}

/** "ana@example.com on build-3 until 14:05:10Z", for plan show and log. */
export function describeClaim(c: Claim): string {
  return `${c.by} on ${c.host} until ${c.expires_at}`
}
