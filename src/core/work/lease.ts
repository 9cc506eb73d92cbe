import {randomBytes} from 'node:crypto'
import {hostname, userInfo} from 'node:os'
import {claimLive, claimRef, writeClaimCommit, type Claim} from '../plan/claims.js'
import type {Store} from '../store/store.js'
import {pushLeased, type LeasedUpdate, type RemoteClaim} from './remote.js'

/** This worker process, as its claims name it. */
export interface WorkerId {
  holder: string
  by: string
  host: string
  pid: number
}

/** A fresh holder id for this process, with the user's git identity (else their login name) and the host. */
export async function workerIdentity(store: Store, pid = process.pid): Promise<WorkerId> {
  const email = (await store.ctx.run(['config', 'user.email'], {allowFail: true})).stdout.trim()
  const name = (await store.ctx.run(['config', 'user.name'], {allowFail: true})).stdout.trim()
  let login = ''
  try {
    login = userInfo().username
  } catch {
    login = 'unknown'
  }
  const clip = (s: string) => s.replace(/[\u0000-\u001f\u007f]/g, '').slice(0, 200) || 'unknown'
  return {holder: randomBytes(6).toString('hex'), by: clip(email || name || login), host: clip(hostname()), pid}
}

/** A claim this worker holds: the claim ref's value on the remote as this worker last set it. */
export interface HeldClaim {
  plan: string
  n: number
  ref: string
  oid: string
  claim: Claim
}

function claimFor(worker: WorkerId, plan: string, n: number, now: Date, leaseMs: number, started?: string): Claim {
  return {plan, step: n, ...worker, started_at: started ?? now.toISOString(), expires_at: new Date(now.getTime() + leaseMs).toISOString()}
}

/**
 * Claim step n: push a new claim with compare-and-swap against what the remote held when we looked (`current`:
 * nothing, or an expired claim being taken over, by its exact id). Null when another worker got there first or the
 * current claim is still live.
 */
export async function tryClaim(store: Store, remote: string, worker: WorkerId, plan: string, n: number, current: RemoteClaim | undefined, leaseMs: number, now: Date): Promise<HeldClaim | null> {
  if (current && claimLive(current.claim, now)) return null
  const claim = claimFor(worker, plan, n, now, leaseMs)
  const ref = claimRef(plan, n)
  const oid = await writeClaimCommit(store, claim, current?.oid ?? null)
  const res = await pushLeased(store, remote, [{ref, new: oid, expect: current?.oid ?? null}])
  return res.ok ? {plan, n, ref, oid, claim} : null
}

/** Push a later expiry for a held claim; false when the claim is no longer ours (it was taken over). */
export async function renewClaim(store: Store, remote: string, held: HeldClaim, leaseMs: number, now: Date): Promise<boolean> {
  const claim = claimFor({holder: held.claim.holder, by: held.claim.by, host: held.claim.host, pid: held.claim.pid}, held.plan, held.n, now, leaseMs, held.claim.started_at)
  const oid = await writeClaimCommit(store, claim, held.oid)
  const res = await pushLeased(store, remote, [{ref: held.ref, new: oid, expect: held.oid}])
  if (!res.ok) return false
  held.oid = oid
  held.claim = claim
  return true
}

/** The update that deletes a held claim, only if it is still ours (for an atomic push with the step's result). */
export const releaseUpdate = (held: HeldClaim): LeasedUpdate => ({ref: held.ref, new: null, expect: held.oid})

/** Delete a held claim; false when it was no longer ours. */
export async function releaseClaim(store: Store, remote: string, held: HeldClaim): Promise<boolean> {
  return (await pushLeased(store, remote, [releaseUpdate(held)])).ok
}

/**
 * Renew a claim every `leaseMs / 3` while its step runs. `onLost` is called once when a renewal finds the claim taken
 * over (the step must then stop: its result would be refused anyway). A renewal that fails for a network error is
 * retried on the next beat; the lease covers two missed beats.
 */
export class Heartbeat {
  private timer?: NodeJS.Timeout
  private beating: Promise<void> = Promise.resolve()
  lost = false

  constructor(
    private readonly store: Store,
    private readonly remote: string,
    readonly held: HeldClaim,
    private readonly leaseMs: number,
    private readonly now: () => Date,
    private readonly onLost: () => void,
  ) {}

  start(): this {
    this.timer = setInterval(() => {
      this.beating = this.beating.then(() => this.beat())
    }, Math.max(200, Math.floor(this.leaseMs / 3)))
    this.timer.unref?.()
    return this
  }

  private async beat(): Promise<void> {
    if (this.lost || !this.timer) return
    const ok = await renewClaim(this.store, this.remote, this.held, this.leaseMs, this.now()).catch(() => true)
    if (!ok && !this.lost) {
      this.lost = true
      this.onLost()
    }
  }

  /** Stop renewing, after any renewal in flight (so `held.oid` is the remote's value again). */
  async stop(): Promise<void> {
    clearInterval(this.timer)
    this.timer = undefined
    await this.beating
  }
}
