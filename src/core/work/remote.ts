import {claimRef, CLAIMS, readClaimCommit, type Claim} from '../plan/claims.js'
import {MAX_PLAN_BYTES, parsePlanYaml} from '../plan/plan-yaml.js'
import type {Plan} from '../plan/schema.js'
import {PLANS} from '../store/plans.js'
import {checkRefId, listRefs} from '../store/refs.js'
import type {Store} from '../store/store.js'
import {checkRemote, remoteFailure, remoteNamespace} from '../store/sync.js'
import {neutraliseLine} from '../text/terminal.js'
import {stepBranch as localStepBranch} from '../plan/isolated-step.js'

// The remote is the coordinator: a plan's state there is its plan ref, one claim ref per running step and one branch
// per step that was done. Reads fetch them into refs/parecode-remote/<remote>/; writes are atomic pushes in which
// every ref carries the value it must still have (--force-with-lease=<ref>:<expect>, empty: must not exist), so a
// write based on a stale read is refused as a whole and nothing is overwritten.

/** Branch of step n of a plan: pare/<plan>-<n> (git cannot hold both pare/<plan> and pare/<plan>/<n>). */
/** The local runner's step branch name, for an id checked to be one (it comes from a remote). */
export const stepBranch = (plan: string, n: number): string => localStepBranch(checkRefId('plan', plan), n)

export interface RemoteClaim {
  oid: string
  claim: Claim | {invalid: string} | null
}

/** One plan as the remote has it, after a fetch. */
export interface RemotePlanState {
  remote: string
  /** The plan commit there and its plan, or why it cannot be used; null: the remote has no such plan. */
  plan: {commit: string; plan: Plan} | {commit: string; problem: string} | null
  claims: Map<number, RemoteClaim>
  /** Step branches there, by step number. */
  branches: Map<number, string>
}

/** One ref of an atomic push: its new value (null deletes) and the value the remote must hold now (null: absent). */
export interface LeasedUpdate {
  ref: string
  new: string | null
  expect: string | null
}

export interface LeasedPushResult {
  ok: boolean
  /** Refs the remote refused, with git's reason ("stale info": it no longer held the expected value). */
  rejected: {ref: string; reason: string}[]
}

// Fetches and pushes of one process go one at a time: jobs and lease renewals share the tracking refs.
const queues = new WeakMap<Store, Promise<unknown>>()
function serial<T>(store: Store, fn: () => Promise<T>): Promise<T> {
  const prev = queues.get(store) ?? Promise.resolve()
  const next = prev.then(fn, fn)
  queues.set(store, next.catch(() => undefined))
  return next
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Fetch a plan's ref, claims and step branches from `remote` and read them. */
export async function fetchPlanState(store: Store, remote: string, planId: string): Promise<RemotePlanState> {
  checkRefId('plan', planId)
  await checkRemote(store.ctx, remote)
  const ns = remoteNamespace(remote)
  const specs = [
    `+${PLANS}/${planId}:${ns}/plans/${planId}`,
    `+${CLAIMS}/${planId}/*:${ns}/claims/${planId}/*`,
    `+refs/heads/pare/${planId}-*:${ns}/heads/pare/${planId}-*`,
  ]
  const args = ['fetch', '--no-tags', '--no-write-fetch-head', '--prune', '--quiet', '--', remote]
  let res = await serial(store, () => store.ctx.run([...args, ...specs], {allowFail: true}))
  if (res.code !== 0 && /couldn't find remote ref/.test(res.stderr)) {
    // No plan there (yet, or any more): still prune what we track of it.
    res = await serial(store, () => store.ctx.run([...args, ...specs.slice(1)], {allowFail: true}))
    if (res.code === 0) await store.ctx.run(['update-ref', '-d', `${ns}/plans/${planId}`], {allowFail: true})
    if (res.code === 0) return readTracked(store, remote, planId, false)
  }
  // Another git pare on this clone fetching at the same moment holds a tracking ref's lock: once more, later.
  for (let i = 0; res.code !== 0 && /cannot lock ref|Unable to create .*\.lock/.test(res.stderr) && i < 5; i++) {
    await sleep(200 + i * 300)
    res = await serial(store, () => store.ctx.run([...args, ...specs], {allowFail: true}))
  }
  if (res.code !== 0) throw remoteFailure(res.stderr, `could not fetch plan ${planId} from ${remote}`)
  return readTracked(store, remote, planId, true)
}

async function readTracked(store: Store, remote: string, planId: string, hasPlan: boolean): Promise<RemotePlanState> {
  const ns = remoteNamespace(remote)
  const out: RemotePlanState = {remote, plan: null, claims: new Map(), branches: new Map()}
  if (hasPlan) {
    const ref = `${ns}/plans/${planId}`
    const commit = await store.revParse(`${ref}^{commit}`)
    if (commit) out.plan = await readPlanAt(store, commit, planId)
  }
  for (const r of await listRefs(store.ctx, `${ns}/claims/${planId}`)) {
    const n = stepNumber(r.ref.slice(`${ns}/claims/${planId}/`.length))
    if (n) out.claims.set(n, {oid: r.oid, claim: await readClaimCommit(store, r.oid, planId, n)})
  }
  const prefix = `${ns}/heads/pare/${planId}-`
  for (const r of await listRefs(store.ctx, `${ns}/heads/pare`)) {
    if (!r.ref.startsWith(prefix)) continue
    const n = stepNumber(r.ref.slice(prefix.length))
    if (n) out.branches.set(n, r.oid)
  }
  return out
}

const stepNumber = (s: string): number | undefined => (/^[1-9]\d{0,3}$/.test(s) ? Number(s) : undefined)

/** The plan a plan commit holds (checked like a local one: size, shape, and the id its ref names). */
export async function readPlanAt(store: Store, commit: string, planId: string): Promise<{commit: string; plan: Plan} | {commit: string; problem: string}> {
  const size = await store.ctx.run(['cat-file', '-s', `${commit}:plan.yaml`], {allowFail: true})
  if (size.code !== 0) return {commit, problem: 'it has no plan.yaml'}
  if (Number(size.stdout.trim()) > MAX_PLAN_BYTES) return {commit, problem: `plan.yaml is larger than ${MAX_PLAN_BYTES / 1024} KB`}
  const res = parsePlanYaml((await store.readText(`${commit}:plan.yaml`)) ?? '')
  if ('problem' in res) return {commit, problem: res.problem.reason}
  if (res.plan.id !== planId) return {commit, problem: `it says its id is "${neutraliseLine(res.plan.id)}"`}
  return {commit, plan: res.plan}
}

/**
 * Push `updates` as one atomic transaction, each ref leased to its expected value. Hooks are skipped (`--no-verify`):
 * a worker pushes claims and renewals every few seconds, and a pre-push hook running tests would stall every lease.
 */
export async function pushLeased(store: Store, remote: string, updates: LeasedUpdate[]): Promise<LeasedPushResult> {
  const specs = updates.map((u) => (u.new === null ? `:${u.ref}` : `${u.new}:${u.ref}`))
  const leases = updates.map((u) => `--force-with-lease=${u.ref}:${u.expect ?? ''}`)
  const res = await serial(store, () => store.ctx.run(['push', '--atomic', '--porcelain', '--no-verify', ...leases, '--', remote, ...specs], {allowFail: true}))
  const rejected: LeasedPushResult['rejected'] = []
  let parsed = false
  for (const line of res.stdout.split('\n')) {
    const m = /^(.)\t[^\t]*:([^\t]*)\t(.*)$/.exec(line)
    if (!m) continue
    parsed = true
    if (m[1] === '!') rejected.push({ref: m[2]!, reason: m[3]!.replace(/^\[rejected\] /, '').replace(/^\((.*)\)$/, '$1').trim()})
  }
  if (!parsed && res.code !== 0) throw remoteFailure(res.stderr, `could not push to ${remote}`)
  return {ok: res.code === 0 && rejected.length === 0, rejected}
}

/** Plan ids the remote has (ls-remote, no objects fetched). */
export async function remotePlanIds(store: Store, remote: string): Promise<string[]> {
  await checkRemote(store.ctx, remote)
  const res = await store.ctx.run(['ls-remote', '--', remote, `${PLANS}/*`], {allowFail: true})
  if (res.code !== 0) throw remoteFailure(res.stderr, `could not list plans on ${remote}`)
  return res.stdout.split('\n').flatMap((l) => {
    const ref = l.split('\t')[1]?.trim() ?? ''
    const id = ref.startsWith(`${PLANS}/`) ? ref.slice(PLANS.length + 1) : ''
    return /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(id) && !id.includes('..') ? [id] : []
  })
}

/** Claims of a plan as last fetched from any remote (refs/parecode-remote/<remote>/claims/<plan>/<n>), for display. */
export async function trackedClaims(store: Store, planId: string): Promise<Map<number, {remote: string; claim: Claim}>> {
  const out = new Map<number, {remote: string; claim: Claim}>()
  const res = await store.ctx.run(['for-each-ref', '--format=%(objectname) %(refname)', 'refs/parecode-remote/'], {allowFail: true})
  const re = new RegExp(`^refs/parecode-remote/([^/]+)/claims/${planId.replace(/[.]/g, '\\.')}/(\\d+)$`)
  for (const line of res.stdout.split('\n')) {
    const [oid, ref] = line.split(' ')
    const m = ref ? re.exec(ref) : null
    const n = m ? stepNumber(m[2]!) : undefined
    if (!oid || !m || !n) continue
    const c = await readClaimCommit(store, oid, planId, n)
    if (c && !('invalid' in c)) out.set(n, {remote: m[1]!, claim: c})
  }
  return out
}

export {claimRef}
